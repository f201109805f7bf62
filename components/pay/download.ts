/**
 * Starts a native browser download of `url` (same origin; the gate answers with
 * `Content-Disposition: attachment`): a hidden `<a download>` click, so the file streams to disk
 * through the browser's download manager — resumable, never held in page memory as a blob.
 */
export function startDownload(url: string): void {
  const a = document.createElement("a");
  a.href = url;
  a.download = "";
  a.rel = "noopener";
  a.style.display = "none";
  document.body.appendChild(a);
  a.click();
  a.remove();
}
