import { notFound } from "next/navigation";

/** Any dashboard path without a page: the dashboard's own 404, inside its frame. */
export default function Missing() {
  notFound();
}
