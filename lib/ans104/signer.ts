import "server-only";
import path from "node:path";
import { ArweaveSigner, EthereumSigner, type JWKInterface, type Signer } from "arbundles";
import { generatePrivateKey } from "viem/accounts";
import { z } from "zod";
import { env } from "@/lib/env";
import { readOrCreateKeyFile } from "@/lib/key-file";

const ETH_KEY = /^0x[0-9a-fA-F]{64}$/;
/** Arweave keys are 4096-bit RSA: the modulus is 512 bytes (683 base64url characters). */
const ARWEAVE_MODULUS_BYTES = 512;

const jwkSchema = z.object({
  kty: z.literal("RSA"),
  e: z.string().min(1),
  n: z.string().min(1),
  d: z.string().min(1),
  p: z.string().min(1),
  q: z.string().min(1),
  dp: z.string().min(1),
  dq: z.string().min(1),
  qi: z.string().min(1),
});

const keyFileSchema = z.object({ type: z.literal("ethereum"), privateKey: z.string().regex(ETH_KEY) });

/** Name of the generated key file inside `VEND_DATA_DIR`. */
export const SIGNER_KEY_FILE = "ans104-signer.json";

let cached: Promise<Signer> | undefined;

/**
 * The server's ANS-104 signer, built once per process from `env().ANS104_SIGNER`:
 * - `0x` + 64 hex characters → arbundles `EthereumSigner` (signature type 3, secp256k1, EIP-191);
 * - a JSON Arweave JWK (4096-bit RSA) → arbundles `ArweaveSigner` (signature type 1, RSA-PSS);
 * - unset → an Ethereum key generated on first use and kept in `<VEND_DATA_DIR>/ans104-signer.json`
 *   (`{"type":"ethereum","privateKey":"0x…"}`, mode 0600), reused on later starts.
 * Throws an Error naming the problem when the variable or the key file is malformed.
 */
export function serverSigner(): Promise<Signer> {
  cached ??= loadSigner().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

/**
 * Builds an arbundles signer from a key string as accepted by `ANS104_SIGNER` (see
 * {@link serverSigner}). Throws an Error for anything else.
 */
export function signerFromKey(key: string): Signer {
  const trimmed = key.trim();
  if (ETH_KEY.test(trimmed)) return new EthereumSigner(trimmed);
  if (trimmed.startsWith("{")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      throw new Error("ANS104_SIGNER looks like JSON but does not parse");
    }
    const jwk = jwkSchema.safeParse(parsed);
    if (!jwk.success) throw new Error("ANS104_SIGNER JSON is not an RSA private JWK (kty, n, e, d, p, q, dp, dq, qi)");
    if (Buffer.from(jwk.data.n, "base64url").byteLength !== ARWEAVE_MODULUS_BYTES) {
      throw new Error("ANS104_SIGNER JWK must be a 4096-bit Arweave key");
    }
    return new ArweaveSigner(jwk.data as JWKInterface);
  }
  throw new Error("ANS104_SIGNER must be a 0x-prefixed 32-byte hex private key or an Arweave JWK (JSON)");
}

async function loadSigner(): Promise<Signer> {
  const config = env();
  if (config.ANS104_SIGNER) return signerFromKey(config.ANS104_SIGNER);
  const file = path.join(config.dataDir, SIGNER_KEY_FILE);
  const privateKey = await readOrCreateKeyFile(
    file,
    () => `${JSON.stringify({ type: "ethereum", privateKey: generatePrivateKey() }, null, 2)}\n`,
    (text) => parseKeyFile(text, file),
  );
  return new EthereumSigner(privateKey);
}

function parseKeyFile(text: string, file: string): string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${file} is not valid JSON; delete it to generate a new ANS-104 key`);
  }
  const parsed = keyFileSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${file} must hold {"type":"ethereum","privateKey":"0x…64 hex"}`);
  return parsed.data.privateKey;
}
