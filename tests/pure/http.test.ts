import { describe, expect, it, vi } from "vitest";
import { AppError } from "@/lib/errors";
import { errorResponse } from "@/lib/http";

describe("errorResponse", () => {
  it("answers an unexpected error with a 500 that claims nothing about charges", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const res = errorResponse(new Error("database exploded"));
    expect(log).toHaveBeenCalled();
    log.mockRestore();
    expect(res.status).toBe(500);
    const body = await res.json();
    expect(body.error.code).toBe("internal_error");
    expect(body.error.message).not.toMatch(/charged|database/i);
  });

  it("keeps an AppError's own code, status and message", async () => {
    const res = errorResponse(new AppError("empty_file", "The file is empty."));
    expect(res.status).toBe(400);
    expect((await res.json()).error).toEqual({ code: "empty_file", message: "The file is empty." });
  });
});
