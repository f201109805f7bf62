"use client";

import type AwsS3 from "@uppy/aws-s3";
import type Uppy from "@uppy/core";
import { api, ApiError, signInHref, toApiError } from "@/components/dashboard/api";
import type { ObjectItem } from "@/components/dashboard/types";
import type { UploadPlan } from "@/lib/uploads/create-upload";

/**
 * An upload in flight: its result, a way to cancel it, and — once it has failed — a way to retry
 * it that keeps the parts already in the bucket.
 */
export type UploadHandle = { promise: Promise<ObjectItem>; abort: () => void; retry?: () => UploadHandle };

/** The error of a cancelled upload. */
export class UploadCancelled extends Error {
  constructor() {
    super("Upload cancelled.");
    this.name = "UploadCancelled";
  }
}

type Progress = (loaded: number, total: number) => void;

/**
 * Uploads one file, the way this server stores files: it first asks `POST /api/uploads`.
 * - S3 storage (`mode: "multipart"`): the bytes go straight to the bucket in parts, through
 *   {@link DirectUpload} (Uppy's S3 plugin), then `POST /api/uploads/{id}/complete` signs them.
 * - fs storage (`mode: "stream"`): the bytes are streamed to `POST /api/objects`.
 */
export function uploadObject(file: File, onProgress: Progress): UploadHandle {
  let cancelled = false;
  let inner: UploadHandle | undefined;
  let direct: DirectUpload | undefined;
  const promise = (async () => {
    const plan = await api<UploadPlan>("/api/uploads", {
      method: "POST",
      json: { name: file.name, contentType: file.type || "application/octet-stream", size: String(file.size) },
    });
    if (plan.mode === "stream") {
      if (cancelled) throw new UploadCancelled();
      inner = streamUpload(plan.url, file, onProgress);
      return inner.promise;
    }
    // Uppy is loaded only when a file goes to the bucket (not with fs storage, not on first load).
    const [{ default: UppyCore }, { default: UppyAwsS3 }] = await Promise.all([import("@uppy/core"), import("@uppy/aws-s3")]);
    direct = new DirectUpload({ Uppy: UppyCore, AwsS3: UppyAwsS3 }, file, plan, onProgress);
    if (cancelled) {
      direct.cancel();
      throw new UploadCancelled();
    }
    inner = direct.start();
    return inner.promise;
  })();
  return {
    promise,
    abort: () => {
      cancelled = true;
      inner?.abort();
    },
    retry: () => (direct && inner ? direct.retry() : uploadObject(file, onProgress)),
  };
}

/**
 * A direct upload to the bucket with `@uppy/core` + `@uppy/aws-s3` (`signRequest` mode). The
 * upload was opened by the server (`POST /api/uploads`), so Uppy is handed it as one to resume
 * (`s3Multipart` file state, as its Golden Retriever plugin does) and signs each request through
 * this app: part PUTs to presigned URLs from `POST /api/uploads/{id}/parts` (fetched 20 at a time;
 * Uppy retries a failed part three times, then {@link retry} resumes with the parts already
 * stored), the completion to the presigned `completeUrl`, and a cancel to `DELETE /api/uploads/{id}`
 * (which aborts the multipart upload). Uppy asks for the list of stored parts when it resumes; it
 * gets the parts it reported itself, as S3 `ListPartsResult` XML in a `blob:` URL (the store is not
 * asked: s3rver has no ListParts). Then `POST /api/uploads/{id}/complete` signs the stored bytes.
 */
class DirectUpload {
  private readonly uppy: Uppy;
  private readonly fileId: string;
  private readonly urls = new Map<number, { url: string; expires: number }>();
  private completeUrl: { url: string; expires: number } | undefined;
  private readonly uploaded = new Map<number, string>();
  private settle: { resolve: (o: ObjectItem) => void; reject: (e: unknown) => void } | undefined;
  private started = false;
  /** Every part is in the bucket and the multipart upload completed: only the server's completion is left. */
  private stored = false;

  constructor(
    uppy: { Uppy: typeof Uppy; AwsS3: typeof AwsS3 },
    file: File,
    private readonly plan: Extract<UploadPlan, { mode: "multipart" }>,
    onProgress: Progress,
  ) {
    const partSize = Number(plan.partSize);
    this.uppy = new uppy.Uppy({ autoProceed: false, allowMultipleUploadBatches: true });
    this.uppy.use(uppy.AwsS3, {
      shouldUseMultipart: true,
      getChunkSize: () => partSize,
      signRequest: (request) => this.sign(request),
    });
    this.fileId = this.uppy.addFile({ name: file.name, type: file.type || "application/octet-stream", data: file, source: "vend" });
    this.uppy.setFileState(this.fileId, { s3Multipart: { uploadId: plan.id, key: plan.id } });
    this.uppy.on("upload-progress", (_file, progress) => onProgress(progress.bytesUploaded, progress.bytesTotal ?? file.size));
    this.uppy.on("s3-multipart:part-uploaded", (_file, part) => this.uploaded.set(part.PartNumber, part.ETag));
    this.uppy.on("upload-success", () => {
      onProgress(file.size, file.size);
      this.stored = true;
      this.complete();
    });
    this.uppy.on("upload-error", (_file, error) => this.settle?.reject(uploadError(error)));
  }

  /**
   * Starts or, after a failure, resumes: the parts not yet stored are uploaded, or, when they all
   * are, only the completion is asked again. Resolves with the recorded object.
   */
  start(): UploadHandle {
    const promise = new Promise<ObjectItem>((resolve, reject) => (this.settle = { resolve, reject }));
    if (this.stored) this.complete();
    else if (this.started) void this.uppy.retryUpload(this.fileId);
    else void this.uppy.upload();
    this.started = true;
    return { promise, abort: () => this.cancel(), retry: () => this.retry() };
  }

  /** `POST /api/uploads/{id}/complete`: the server signs the stored bytes and records the object. */
  private complete(): void {
    api<ObjectItem>(`/api/uploads/${encodeURIComponent(this.plan.id)}/complete`, { method: "POST", json: {} }).then(
      (object) => {
        this.settle?.resolve(object);
        this.uppy.destroy();
      },
      (error: unknown) => this.settle?.reject(error),
    );
  }

  retry(): UploadHandle {
    return this.start();
  }

  /** Cancels: Uppy stops its requests and aborts the upload through `DELETE /api/uploads/{id}`. */
  cancel(): void {
    if (this.started && !this.stored) this.uppy.removeFile(this.fileId);
    else void fetch(this.uploadUrl(), { method: "DELETE", credentials: "same-origin" });
    this.settle?.reject(new UploadCancelled());
  }

  private uploadUrl(): string {
    return new URL(`/api/uploads/${encodeURIComponent(this.plan.id)}`, window.location.origin).href;
  }

  private async sign(request: { method: string; uploadId?: string; partNumber?: number }): Promise<{ url: string }> {
    if (request.method === "PUT" && request.partNumber) return { url: await this.partUrl(request.partNumber) };
    if (request.method === "POST" && request.uploadId) {
      if (!fresh(this.completeUrl)) await this.fetchUrls(1);
      return { url: this.completeUrl!.url };
    }
    if (request.method === "DELETE") return { url: this.uploadUrl() };
    if (request.method === "GET") {
      const parts = [...this.uploaded].map(([n, etag]) => `<Part><PartNumber>${n}</PartNumber><ETag>${etag}</ETag></Part>`);
      const url = URL.createObjectURL(new Blob([`<ListPartsResult>${parts.join("")}</ListPartsResult>`], { type: "application/xml" }));
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      return { url };
    }
    throw new Error(`Unexpected S3 request ${request.method}: the server opens the upload.`);
  }

  private async partUrl(partNumber: number): Promise<string> {
    if (!fresh(this.urls.get(partNumber))) await this.fetchUrls(partNumber);
    return this.urls.get(partNumber)!.url;
  }

  /** Presigned URLs for parts `from` … `from + 19` (and the completion URL). */
  private async fetchUrls(from: number): Promise<void> {
    const partNumbers = Array.from({ length: Math.min(20, this.plan.partCount - from + 1) }, (_, i) => from + i);
    const signed = await api<{ parts: { partNumber: number; url: string }[]; completeUrl: string; expiresAt: string }>(
      `/api/uploads/${encodeURIComponent(this.plan.id)}/parts`,
      { method: "POST", json: { partNumbers } },
    );
    const expires = Date.parse(signed.expiresAt);
    for (const part of signed.parts) this.urls.set(part.partNumber, { url: part.url, expires });
    this.completeUrl = { url: signed.completeUrl, expires };
  }
}

/** A URL still valid for at least a minute. */
function fresh(entry: { expires: number } | undefined): boolean {
  return !!entry && entry.expires - Date.now() > 60_000;
}

function uploadError(error: { message?: string } | undefined): ApiError {
  return new ApiError(
    0,
    "upload_failed",
    `${error?.message ?? "The upload failed"}. The parts already stored are kept: retry to continue.`,
  );
}

/**
 * Streams one file to `url` (`POST /api/objects`) as a raw body with XMLHttpRequest, because
 * `fetch` cannot report upload progress. `X-Filename` carries the name percent-encoded (UTF-8);
 * `Content-Type` the file's type.
 */
function streamUpload(url: string, file: File, onProgress: Progress): UploadHandle {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<ObjectItem>((resolve, reject) => {
    xhr.open("POST", url);
    xhr.setRequestHeader("Content-Type", file.type || "application/octet-stream");
    xhr.setRequestHeader("X-Filename", encodeURIComponent(file.name));
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = async () => {
      if (xhr.status === 201) {
        onProgress(file.size, file.size);
        resolve(JSON.parse(xhr.responseText) as ObjectItem);
        return;
      }
      if (xhr.status === 401) window.location.assign(signInHref());
      reject(await toApiError(new Response(xhr.responseText || null, { status: xhr.status })));
    };
    xhr.onerror = () =>
      reject(new ApiError(0, "network_error", "The connection dropped during the upload. Check your network and retry."));
    xhr.onabort = () => reject(new UploadCancelled());
    xhr.send(file);
  });
  return { promise, abort: () => xhr.abort() };
}
