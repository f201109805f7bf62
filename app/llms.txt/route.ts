import { llmsTxt } from "@/lib/catalog/llms-txt";
import { errorResponse } from "@/lib/http";

export const dynamic = "force-dynamic";

/** `GET /llms.txt` → Markdown for agents (llmstxt.org): how to buy from this deployment, and what is listed. */
export async function GET(): Promise<Response> {
  try {
    return new Response(await llmsTxt(), { headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
  } catch (error) {
    return errorResponse(error);
  }
}
