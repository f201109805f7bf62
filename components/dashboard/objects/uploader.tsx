"use client";

import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useCallback, useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { CheckIcon, FileIcon, UploadIcon, XIcon } from "@/components/ui/icons";
import { useToast } from "@/components/ui/toast";
import { errorMessage } from "@/components/dashboard/api";
import { formatBytes } from "@/lib/format";
import { UploadCancelled, uploadObject, type UploadHandle } from "@/components/dashboard/objects/upload";
import { keys } from "@/components/dashboard/queries";
import type { ObjectItem } from "@/components/dashboard/types";

type Item = {
  key: number;
  file: File;
  loaded: number;
  status: "uploading" | "done" | "error" | "cancelled";
  error?: string;
  object?: ObjectItem;
  abort?: () => void;
  /** Continues a failed upload (keeping the parts already stored). */
  resume?: () => UploadHandle;
};

/**
 * Drag-and-drop (or pick) several files; each uploads at once with its own progress bar, can be
 * cancelled, and shows its error (too large, network, server) with a retry that continues where
 * it stopped. With S3 storage the bytes go straight to the bucket (see `upload.ts`).
 */
export function Uploader({ maxBytes }: { maxBytes: number }) {
  const [items, setItems] = useState<Item[]>([]);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const nextKey = useRef(1);
  const queryClient = useQueryClient();
  const toast = useToast();
  const hintId = useId();

  const update = useCallback((key: number, patch: Partial<Item>) => {
    setItems((all) => all.map((i) => (i.key === key ? { ...i, ...patch } : i)));
  }, []);

  const start = useCallback(
    (file: File, key: number, resume?: () => UploadHandle) => {
      if (file.size === 0) {
        update(key, { status: "error", error: "Empty file (0 bytes): there is nothing to sell, so it was not uploaded." });
        return;
      }
      if (file.size > maxBytes) {
        update(key, {
          status: "error",
          error: `Too large: ${formatBytes(file.size)}. The limit on this server is ${formatBytes(maxBytes)}.`,
        });
        return;
      }
      const onProgress = (loaded: number) => update(key, { loaded });
      const handle = resume ? resume() : uploadObject(file, onProgress);
      update(key, { status: "uploading", error: undefined, abort: handle.abort, resume: undefined, ...(resume ? {} : { loaded: 0 }) });
      handle.promise.then(
        (object) => {
          update(key, { status: "done", object, loaded: file.size, abort: undefined });
          void queryClient.invalidateQueries({ queryKey: keys.objects });
        },
        (error: unknown) => {
          if (error instanceof UploadCancelled) update(key, { status: "cancelled", abort: undefined });
          else {
            update(key, { status: "error", error: errorMessage(error), abort: undefined, resume: handle.retry });
            toast.error(`Upload failed: ${file.name}`, errorMessage(error));
          }
        },
      );
    },
    [maxBytes, queryClient, toast, update],
  );

  const add = useCallback(
    (files: FileList | File[]) => {
      const list = Array.from(files);
      if (!list.length) return;
      const added = list.map((file) => ({ key: nextKey.current++, file, loaded: 0, status: "uploading" as const }));
      setItems((all) => [...added, ...all]);
      for (const item of added) start(item.file, item.key);
    },
    [start],
  );

  const finished = items.filter((i) => i.status !== "uploading");
  return (
    <div>
      <div
        onDragEnter={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragOver={(e) => {
          e.preventDefault();
          e.dataTransfer.dropEffect = "copy";
        }}
        onDragLeave={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
        }}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          add(e.dataTransfer.files);
        }}
        data-testid="dropzone"
        className={cn(
          "flex flex-col items-center justify-center rounded-xl border-2 border-dashed px-6 py-8 text-center transition-colors",
          dragging
            ? "border-indigo-500 bg-indigo-50/60 dark:border-indigo-400 dark:bg-indigo-500/10"
            : "border-zinc-300 bg-white dark:border-zinc-700 dark:bg-zinc-900",
        )}
      >
        <div className="mb-3 flex h-10 w-10 items-center justify-center rounded-full bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">
          <UploadIcon size={18} />
        </div>
        <p className="text-sm font-medium text-zinc-900 dark:text-zinc-100">
          <span className="hidden sm:inline">Drop files here, or </span>
          <button
            type="button"
            onClick={() => input.current?.click()}
            className="font-semibold text-indigo-600 underline-offset-4 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-500 dark:text-indigo-400"
            aria-describedby={hintId}
          >
            <span className="sm:hidden">Choose files</span>
            <span className="hidden sm:inline">choose files</span>
          </button>
        </p>
        <p id={hintId} className="mt-1 text-xs text-zinc-500">
          Any type, several at once, up to {formatBytes(maxBytes)} each. Each file is stored as a signed ANS-104 DataItem.
        </p>
        <input
          ref={input}
          type="file"
          multiple
          className="sr-only"
          tabIndex={-1}
          aria-label="Choose files to upload"
          data-testid="file-input"
          onChange={(e) => {
            if (e.target.files) add(e.target.files);
            e.target.value = "";
          }}
        />
      </div>

      {items.length > 0 && (
        <div className="mt-4">
          <div className="mb-2 flex items-center justify-between">
            <h2 className="text-sm font-medium">Uploads</h2>
            {finished.length > 0 && (
              <Button variant="ghost" size="sm" onClick={() => setItems((all) => all.filter((i) => i.status === "uploading"))}>
                Clear finished
              </Button>
            )}
          </div>
          <ul className="space-y-2" aria-label="Uploads">
            {items.map((item) => (
              <UploadRow
                key={item.key}
                item={item}
                onCancel={() => item.abort?.()}
                onRetry={() => start(item.file, item.key, item.status === "error" ? item.resume : undefined)}
                onDismiss={() => setItems((all) => all.filter((i) => i.key !== item.key))}
              />
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

function UploadRow({
  item,
  onCancel,
  onRetry,
  onDismiss,
}: {
  item: Item;
  onCancel: () => void;
  onRetry: () => void;
  onDismiss: () => void;
}) {
  const percent = item.file.size ? Math.min(100, Math.floor((item.loaded / item.file.size) * 100)) : item.status === "done" ? 100 : 0;
  return (
    <li
      data-testid="upload-item"
      data-status={item.status}
      className="rounded-xl border border-zinc-200 bg-white p-3 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <div className="flex items-center gap-3">
        <span
          className={cn(
            "flex h-8 w-8 flex-none items-center justify-center rounded-lg",
            item.status === "done"
              ? "bg-emerald-50 text-emerald-600 dark:bg-emerald-500/10 dark:text-emerald-400"
              : "bg-zinc-100 text-zinc-500 dark:bg-zinc-800 dark:text-zinc-400",
          )}
        >
          {item.status === "done" ? <CheckIcon /> : <FileIcon />}
        </span>
        <div className="min-w-0 flex-1">
          <div className="flex flex-col sm:flex-row sm:items-baseline sm:justify-between sm:gap-3">
            <p className="truncate text-sm font-medium" title={item.file.name}>
              {item.file.name}
            </p>
            <p className="flex-none text-xs tabular-nums text-zinc-500">
              {item.status === "uploading" && `${formatBytes(item.loaded)} / ${formatBytes(item.file.size)} · ${percent}%`}
              {item.status === "done" && `${formatBytes(item.file.size)} · Uploaded`}
              {item.status === "cancelled" && "Cancelled"}
              {item.status === "error" && "Failed"}
            </p>
          </div>
          <div
            role="progressbar"
            aria-label={`Upload of ${item.file.name}`}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
            className="mt-2 h-1.5 overflow-hidden rounded-full bg-zinc-100 dark:bg-zinc-800"
          >
            <div
              className={cn(
                "h-full rounded-full transition-[width] duration-200",
                item.status === "error" ? "bg-red-500" : item.status === "done" ? "bg-emerald-500" : item.status === "cancelled" ? "bg-zinc-400" : "bg-indigo-500",
              )}
              style={{ width: `${item.status === "error" ? 100 : percent}%` }}
            />
          </div>
          {item.error && (
            <p role="alert" className="mt-1.5 text-xs text-red-600 dark:text-red-400">
              {item.error}
            </p>
          )}
        </div>
        <div className="flex flex-none items-center gap-1">
          {item.status === "uploading" && (
            <Button size="sm" variant="ghost" onClick={onCancel} aria-label={`Cancel upload of ${item.file.name}`}>
              Cancel
            </Button>
          )}
          {(item.status === "error" || item.status === "cancelled") && (
            <Button size="sm" onClick={onRetry}>
              Retry
            </Button>
          )}
          {item.status === "done" && item.object && (
            <Link
              href={`/dashboard/links/new?objectId=${encodeURIComponent(item.object.id)}`}
              className="whitespace-nowrap rounded-md px-2 py-1 text-sm font-medium text-indigo-600 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-500 dark:text-indigo-400"
            >
              <span className="sm:hidden">Sell</span>
              <span className="hidden sm:inline">Create link</span>
            </Link>
          )}
          {item.status !== "uploading" && (
            <Button size="icon-sm" variant="ghost" onClick={onDismiss} aria-label={`Dismiss ${item.file.name}`}>
              <XIcon />
            </Button>
          )}
        </div>
      </div>
    </li>
  );
}
