import "server-only";
import { BlockList, isIP } from "node:net";
import { env } from "@/lib/env";

/**
 * Where webhooks may be sent. A creator's URL must not reach this server's own network (cloud
 * metadata at 169.254.169.254, a database on 10.x): loopback, private, link-local, CGNAT and
 * unspecified addresses are refused — checked on every connection against the resolved address,
 * so a DNS name that later resolves inside cannot slip through — unless this deployment is itself
 * local (APP_URL on such an address) or WEBHOOK_ALLOW_PRIVATE_URLS=true.
 */
const internal = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
] as const) {
  internal.addSubnet(net, prefix, "ipv4");
}
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
] as const) {
  internal.addSubnet(net, prefix, "ipv6");
}

/** True for loopback, private, link-local, CGNAT and unspecified IPv4/IPv6 addresses (and IPv4-mapped ones). */
export function isInternalAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return internal.check(mapped[1]!, "ipv4");
  const family = isIP(address);
  if (family === 4) return internal.check(address, "ipv4");
  if (family === 6) return internal.check(address, "ipv6");
  return false;
}

function isInternalHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "");
  return host === "localhost" || host.endsWith(".localhost") || isInternalAddress(host);
}

/** Whether webhooks may go to internal addresses on this deployment (see the module comment). */
export function internalTargetsAllowed(): boolean {
  const setting = env().WEBHOOK_ALLOW_PRIVATE_URLS;
  if (setting !== undefined) return setting;
  return isInternalHost(new URL(env().appUrl).hostname);
}

/**
 * Checks a webhook URL as entered: http(s), no credentials, no fragment, at most 2048 characters,
 * and not an internal host unless allowed. Returns the normalized URL or a human message.
 */
export function checkWebhookUrl(input: string): { ok: true; url: string } | { ok: false; message: string } {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return { ok: false, message: "Enter a full URL, like https://example.com/webhooks/vend." };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, message: "Use an http:// or https:// URL." };
  if (url.username || url.password) return { ok: false, message: "Put no user name or password in the URL." };
  if (url.hash) return { ok: false, message: "Remove the #fragment: it is never sent." };
  if (url.href.length > 2048) return { ok: false, message: "At most 2048 characters." };
  if (!internalTargetsAllowed() && isInternalHost(url.hostname)) {
    return { ok: false, message: "This address is inside a private network; use a public URL." };
  }
  return { ok: true, url: url.href };
}
