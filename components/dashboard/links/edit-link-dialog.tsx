"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input, Select, Textarea } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";
import { api, ApiError, errorMessage } from "@/components/dashboard/api";
import { ACCESS_OPTIONS, MAX_EXPIRY_MS, toLocalInput } from "@/components/dashboard/links/new-link-form";
import { keys } from "@/components/dashboard/queries";
import type { LinkDetail, LinkItem } from "@/components/dashboard/types";
import { formatDuration } from "@/lib/format";

type Errors = Partial<Record<"title" | "description" | "expiresAt" | "maxPurchases" | "accessSeconds" | "form", string>>;

/**
 * Edits what a creator may change on a link: title, description, expiry, max purchases and the
 * access window. Only changed fields are sent; the pay page and the 402 follow at once. Price,
 * payee, network and file are fixed (a new link changes them). A revoked link or one whose file is
 * gone can only be renamed.
 */
export function EditLinkDialog({ link, onClose }: { link: LinkDetail | null; onClose: () => void }) {
  return (
    <Dialog
      open={Boolean(link)}
      onClose={onClose}
      title="Edit link"
      description="Buyers see the change at once. Price, payee, network and file stay as they are: create a new link to change those."
      className="max-w-lg"
    >
      {link && <EditForm link={link} onClose={onClose} />}
    </Dialog>
  );
}

function EditForm({ link, onClose }: { link: LinkDetail; onClose: () => void }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const closed = link.status === "revoked" || link.status === "object_gone";
  const initialExpiry = useMemo(() => toLocalInput(new Date(link.expiresAt)), [link.expiresAt]);
  const [title, setTitle] = useState(link.title ?? "");
  const [description, setDescription] = useState(link.description ?? "");
  const [expiry, setExpiry] = useState(initialExpiry);
  const [maxPurchases, setMaxPurchases] = useState(link.maxPurchases === null ? "" : String(link.maxPurchases));
  const [accessSeconds, setAccessSeconds] = useState(link.accessSeconds);
  const [errors, setErrors] = useState<Errors>({});
  const [pending, setPending] = useState(false);
  const accessOptions = ACCESS_OPTIONS.some((o) => o.seconds === link.accessSeconds)
    ? ACCESS_OPTIONS
    : [{ seconds: link.accessSeconds, label: formatDuration(link.accessSeconds) }, ...ACCESS_OPTIONS];
  const clear = (field: keyof Errors) => setErrors((e) => (e[field] ? { ...e, [field]: undefined } : e));

  function changes(): { body: Record<string, unknown>; errors: Errors } {
    const body: Record<string, unknown> = {};
    const e: Errors = {};
    if (title.trim() !== (link.title ?? "")) body.title = title.trim();
    if (description.trim() !== (link.description ?? "")) body.description = description.trim();
    if (!closed && expiry !== initialExpiry) {
      const at = new Date(expiry);
      if (!expiry || Number.isNaN(at.getTime())) e.expiresAt = "Pick a date and time.";
      else if (at.getTime() <= Date.now()) e.expiresAt = "The expiry must be in the future. To stop sales now, revoke the link.";
      else if (at.getTime() - Date.now() > MAX_EXPIRY_MS) e.expiresAt = "The expiry can be at most 365 days away.";
      else body.expiresAt = at.toISOString();
    }
    const limit = maxPurchases.trim();
    if (!closed && limit !== (link.maxPurchases === null ? "" : String(link.maxPurchases))) {
      if (!limit) body.maxPurchases = null;
      else if (!/^[1-9]\d{0,8}$/.test(limit)) e.maxPurchases = "A whole number, 1 or more (empty: no limit).";
      else if (Number(limit) < link.purchaseCount) e.maxPurchases = `At least ${link.purchaseCount}: that many purchases were made already.`;
      else body.maxPurchases = Number(limit);
    }
    if (!closed && accessSeconds !== link.accessSeconds) body.accessSeconds = accessSeconds;
    return { body, errors: e };
  }

  return (
    <form
      noValidate
      className="space-y-5"
      onSubmit={async (event) => {
        event.preventDefault();
        const { body, errors: found } = changes();
        if (Object.keys(found).length) {
          setErrors(found);
          return;
        }
        if (!Object.keys(body).length) {
          onClose();
          return;
        }
        setPending(true);
        try {
          const updated = await api<LinkItem>(`/api/links/${encodeURIComponent(link.id)}`, { method: "PATCH", json: body });
          queryClient.setQueryData<LinkDetail>(keys.link(link.id), (d) => (d ? { ...d, ...updated, sales: d.sales } : d));
          void queryClient.invalidateQueries({ queryKey: keys.links });
          toast.success("Link updated", "The pay page and the 402 show the change now.");
          onClose();
        } catch (error) {
          if (error instanceof ApiError && Object.keys(error.fields).length) {
            const mapped: Errors = {};
            for (const [key, message] of Object.entries(error.fields)) {
              const field = (key === "expiresIn" ? "expiresAt" : key) as keyof Errors;
              if (field in { title: 1, description: 1, expiresAt: 1, maxPurchases: 1, accessSeconds: 1 }) mapped[field] ??= message;
              else mapped.form ??= message;
            }
            setErrors(mapped);
          } else setErrors({ form: errorMessage(error) });
        } finally {
          setPending(false);
        }
      }}
    >
      <Field label="Title" optional hint={`Empty: the file name (${link.object.name}).`} error={errors.title}>
        {(c) => <Input {...c} value={title} maxLength={200} onChange={(e) => { setTitle(e.target.value); clear("title"); }} />}
      </Field>
      <Field label="Description" optional error={errors.description}>
        {(c) => (
          <Textarea {...c} value={description} maxLength={2000} rows={3} onChange={(e) => { setDescription(e.target.value); clear("description"); }} />
        )}
      </Field>
      {closed ? (
        <p className="rounded-lg bg-zinc-50 p-3 text-sm text-zinc-600 dark:bg-zinc-950 dark:text-zinc-400">
          {link.status === "revoked" ? "This link is revoked: it cannot sell again." : "This link’s file was deleted."} Only its title and
          description can change.
        </p>
      ) : (
        <>
          <Field
            label="Expires"
            hint={`Your time zone: ${Intl.DateTimeFormat().resolvedOptions().timeZone}. Earlier or later; an expired link sells again once extended.`}
            error={errors.expiresAt}
          >
            {(c) => <Input {...c} type="datetime-local" value={expiry} onChange={(e) => { setExpiry(e.target.value); clear("expiresAt"); }} />}
          </Field>
          <div className="grid gap-5 sm:grid-cols-2">
            <Field
              label="Max purchases"
              optional
              hint={link.purchaseCount ? `${link.purchaseCount} made so far. Empty: no limit.` : "Empty: no limit."}
              error={errors.maxPurchases}
            >
              {(c) => (
                <Input
                  {...c}
                  inputMode="numeric"
                  value={maxPurchases}
                  placeholder="No limit"
                  onChange={(e) => { setMaxPurchases(e.target.value); clear("maxPurchases"); }}
                />
              )}
            </Field>
            <Field label="Access after purchase" hint="For every buyer, counted from their purchase." error={errors.accessSeconds}>
              {(c) => (
                <Select {...c} value={accessSeconds} onChange={(e) => { setAccessSeconds(Number(e.target.value)); clear("accessSeconds"); }}>
                  {accessOptions.map((o) => (
                    <option key={o.seconds} value={o.seconds}>
                      {o.label}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
          </div>
        </>
      )}
      {errors.form && (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {errors.form}
        </p>
      )}
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <Button onClick={onClose} disabled={pending}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" loading={pending}>
          Save changes
        </Button>
      </div>
    </form>
  );
}
