"use client";

import { ApiError, signInHref, toApiError } from "@/components/dashboard/api";
import type { ObjectItem } from "@/components/dashboard/types";

/** An upload in flight: its result, and a way to cancel it. */
export type UploadHandle = { promise: Promise<ObjectItem>; abort: () => void };

/** The error of a cancelled upload. */
export class UploadCancelled extends Error {
  constructor() {
    super("Upload cancelled.");
    this.name = "UploadCancelled";
  }
}

/**
 * Uploads one file to `POST /api/objects` as a raw body (the server streams it to storage) with
 * XMLHttpRequest, because `fetch` cannot report upload progress. `X-Filename` carries the name
 * percent-encoded (UTF-8); `Content-Type` the file's type.
 */
export function uploadObject(file: File, onProgress: (loaded: number, total: number) => void): UploadHandle {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<ObjectItem>((resolve, reject) => {
    xhr.open("POST", "/api/objects");
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
