import { PayFrame } from "@/components/pay/frame";
import { BanIcon } from "@/components/pay/icons";

/** Unknown payment link (404): never says whether a slug existed. */
export default function PayLinkNotFound() {
  return (
    <PayFrame wide={false}>
      <section
        data-testid="pay-state-not_found"
        className="mx-auto mt-6 w-full max-w-md rounded-2xl border border-zinc-200 bg-white p-6 text-center shadow-sm sm:mt-12 sm:p-8 dark:border-zinc-800 dark:bg-zinc-900"
      >
        <div className="mx-auto flex size-12 items-center justify-center rounded-full bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">
          <BanIcon />
        </div>
        <h1 className="mt-4 text-xl font-semibold tracking-tight">Payment link not found</h1>
        <p className="mt-2 text-sm leading-6 text-zinc-600 dark:text-zinc-400">
          Check that you copied the whole link. If it came from a seller, ask them to send it again.
        </p>
      </section>
    </PayFrame>
  );
}
