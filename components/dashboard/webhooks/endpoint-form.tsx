"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/input";
import { ApiError, errorMessage } from "@/components/dashboard/api";
import { EVENT_LABELS } from "@/components/dashboard/webhooks/event-types";

export type EndpointFormValues = { url: string; description: string; eventTypes: string[] };

/**
 * Add or edit an endpoint: URL, an optional description and the events it receives (none ticked =
 * every event, now and future ones). Server field errors show under their field.
 */
export function EndpointFormDialog({
  open,
  title,
  submitLabel,
  initial,
  eventTypes,
  onClose,
  onSubmit,
}: {
  open: boolean;
  title: string;
  submitLabel: string;
  initial: EndpointFormValues;
  eventTypes: string[];
  onClose: () => void;
  onSubmit: (values: EndpointFormValues) => Promise<unknown>;
}) {
  return (
    <Dialog open={open} onClose={onClose} title={title} description="Vend POSTs signed JSON events (Standard Webhooks) to this URL." className="max-w-lg">
      {open && <Form initial={initial} eventTypes={eventTypes} submitLabel={submitLabel} onClose={onClose} onSubmit={onSubmit} />}
    </Dialog>
  );
}

function Form({
  initial,
  eventTypes,
  submitLabel,
  onClose,
  onSubmit,
}: {
  initial: EndpointFormValues;
  eventTypes: string[];
  submitLabel: string;
  onClose: () => void;
  onSubmit: (values: EndpointFormValues) => Promise<unknown>;
}) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [pending, setPending] = useState(false);
  const toggle = (type: string) =>
    setValues((v) => ({ ...v, eventTypes: v.eventTypes.includes(type) ? v.eventTypes.filter((t) => t !== type) : [...v.eventTypes, type] }));
  return (
    <form
      noValidate
      className="space-y-5"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!values.url.trim()) {
          setErrors({ url: "Enter the URL that receives the events." });
          return;
        }
        setPending(true);
        try {
          await onSubmit({ ...values, url: values.url.trim(), description: values.description.trim() });
          onClose();
        } catch (error) {
          setErrors(error instanceof ApiError && Object.keys(error.fields).length ? error.fields : { form: errorMessage(error) });
        } finally {
          setPending(false);
        }
      }}
    >
      <Field label="Endpoint URL" error={errors.url}>
        {(c) => (
          <Input
            {...c}
            type="url"
            inputMode="url"
            value={values.url}
            placeholder="https://example.com/webhooks/vend"
            autoComplete="off"
            spellCheck={false}
            className="font-mono text-xs sm:text-sm"
            onChange={(e) => { setValues((v) => ({ ...v, url: e.target.value })); setErrors((x) => ({ ...x, url: "" })); }}
          />
        )}
      </Field>
      <Field label="Description" optional error={errors.description}>
        {(c) => (
          <Input {...c} value={values.description} maxLength={200} placeholder="Order fulfilment" onChange={(e) => setValues((v) => ({ ...v, description: e.target.value }))} />
        )}
      </Field>
      <fieldset>
        <legend className="text-sm font-medium text-zinc-800 dark:text-zinc-200">Events</legend>
        <p className="mt-0.5 text-xs text-zinc-500">None ticked: every event, including ones added later.</p>
        <div className="mt-2 space-y-1.5">
          {eventTypes.map((type) => (
            <label key={type} className="flex cursor-pointer items-start gap-2.5 rounded-lg px-2 py-1.5 hover:bg-zinc-50 dark:hover:bg-zinc-800/50">
              <input type="checkbox" checked={values.eventTypes.includes(type)} onChange={() => toggle(type)} className="mt-0.5 h-4 w-4 accent-indigo-600" />
              <span className="text-sm">
                <code className="font-mono text-xs">{type}</code>
                <span className="block text-xs text-zinc-500">{EVENT_LABELS[type] ?? ""}</span>
              </span>
            </label>
          ))}
        </div>
        {errors.eventTypes && <p role="alert" className="mt-1 text-xs font-medium text-red-600 dark:text-red-400">{errors.eventTypes}</p>}
      </fieldset>
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
          {submitLabel}
        </Button>
      </div>
    </form>
  );
}
