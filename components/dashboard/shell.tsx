"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { signOut } from "next-auth/react";
import { useMemo, useState, type ReactNode } from "react";
import { useDisconnect } from "wagmi";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { CopyButton } from "@/components/ui/copy-button";
import { FileIcon, HomeIcon, LinkIcon, LogOutIcon, LogoMark, ReceiptIcon, SettingsIcon } from "@/components/ui/icons";
import { ThemeToggle } from "@/components/ui/theme-toggle";
import { ToastProvider } from "@/components/ui/toast";
import { DashboardProvider } from "@/components/dashboard/context";
import { shortAddress } from "@/lib/format";
import type { ClientNetwork } from "@/lib/wagmi";

const NAV = [
  { href: "/dashboard", label: "Overview", icon: HomeIcon, exact: true },
  { href: "/dashboard/objects", label: "Objects", icon: FileIcon },
  { href: "/dashboard/links", label: "Links", icon: LinkIcon },
  { href: "/dashboard/sales", label: "Sales", icon: ReceiptIcon },
  { href: "/dashboard/settings", label: "Settings", icon: SettingsIcon },
] as const;

/** A deterministic two-colour avatar for an address (no network, no identicon library). */
export function AddressAvatar({ address, size = 24 }: { address: string; size?: number }) {
  const h1 = parseInt(address.slice(2, 6), 16) % 360;
  const h2 = parseInt(address.slice(-4), 16) % 360;
  return (
    <span
      aria-hidden="true"
      className="inline-block flex-none rounded-full ring-1 ring-black/5 dark:ring-white/10"
      style={{ width: size, height: size, background: `linear-gradient(135deg, hsl(${h1} 80% 60%), hsl(${h2} 75% 45%))` }}
    />
  );
}

function useSignOut() {
  const disconnect = useDisconnect();
  const [pending, setPending] = useState(false);
  return {
    pending,
    async signOut() {
      setPending(true);
      try {
        await signOut({ redirect: false });
        await disconnect.mutateAsync().catch(() => {});
      } finally {
        window.location.assign("/sign-in");
      }
    },
  };
}

function NavLinks({ orientation }: { orientation: "vertical" | "horizontal" }) {
  const pathname = usePathname();
  return (
    <ul className={cn(orientation === "vertical" ? "space-y-0.5" : "flex gap-1")}>
      {NAV.map(({ href, label, icon: Icon, ...rest }) => {
        const active = "exact" in rest ? pathname === href : pathname === href || pathname.startsWith(`${href}/`);
        return (
          <li key={href}>
            <Link
              href={href}
              aria-current={active ? "page" : undefined}
              className={cn(
                "flex items-center gap-2.5 rounded-lg text-sm font-medium transition-colors focus-visible:outline-2 focus-visible:outline-indigo-500",
                orientation === "vertical" ? "px-2.5 py-2" : "whitespace-nowrap px-3 py-1.5",
                active
                  ? "bg-zinc-900/5 text-zinc-900 dark:bg-white/10 dark:text-white"
                  : "text-zinc-600 hover:bg-zinc-900/5 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-white/5 dark:hover:text-zinc-100",
              )}
            >
              <Icon size={16} className={orientation === "horizontal" ? "hidden sm:block" : undefined} />
              {label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}

/** The signed-in address: avatar, short form, copy button. */
function AccountChip({ address }: { address: string }) {
  return (
    <div className="flex min-w-0 items-center gap-2">
      <AddressAvatar address={address} />
      <span className="truncate font-mono text-xs text-zinc-700 dark:text-zinc-300" title={address} data-testid="signed-in-address">
        {shortAddress(address)}
      </span>
      <CopyButton value={address} label="Copy your address" className="-ml-1" />
    </div>
  );
}

/**
 * The dashboard frame: a sidebar on wide screens; a top bar with a scrollable tab row on phones.
 * Hosts the toasts and the session context.
 */
export function DashboardShell({
  address,
  networks,
  children,
}: {
  address: `0x${string}`;
  networks: ClientNetwork[];
  children: ReactNode;
}) {
  const { signOut, pending } = useSignOut();
  const session = useMemo(() => ({ address, networks }), [address, networks]);
  return (
    <DashboardProvider value={session}>
      <ToastProvider>
        <div className="min-h-dvh bg-zinc-50 lg:flex dark:bg-zinc-950">
          <a
            href="#main"
            className="sr-only focus:not-sr-only focus:fixed focus:left-3 focus:top-3 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:shadow dark:focus:bg-zinc-900"
          >
            Skip to content
          </a>
          {/* Sidebar (lg and up) */}
          <aside className="sticky top-0 z-30 hidden h-dvh w-60 flex-none flex-col border-r border-zinc-200 bg-white px-3 py-4 lg:flex dark:border-zinc-800 dark:bg-zinc-900/40">
            <Link href="/dashboard" className="mb-6 flex items-center gap-2 px-2.5 text-base font-semibold tracking-tight">
              <LogoMark size={26} />
              Vend
            </Link>
            <nav aria-label="Dashboard">
              <NavLinks orientation="vertical" />
            </nav>
            <div className="mt-auto space-y-3 border-t border-zinc-200 pt-4 dark:border-zinc-800">
              <div className="px-1.5">
                <p className="mb-1.5 text-xs font-medium text-zinc-500">Signed in as</p>
                <AccountChip address={address} />
              </div>
              <div className="flex items-center justify-between px-1.5">
                <ThemeToggle />
                <Button variant="ghost" size="sm" onClick={signOut} loading={pending} aria-label="Sign out">
                  {!pending && <LogOutIcon />}
                  Sign out
                </Button>
              </div>
            </div>
          </aside>
          {/* Top bar (below lg) */}
          <header className="sticky top-0 z-30 border-b border-zinc-200 bg-white/90 backdrop-blur lg:hidden dark:border-zinc-800 dark:bg-zinc-950/90">
            <div className="flex h-14 items-center justify-between gap-3 px-4">
              <Link href="/dashboard" className="flex items-center gap-2 font-semibold tracking-tight">
                <LogoMark size={24} />
                <span className="sr-only sm:not-sr-only">Vend</span>
              </Link>
              <div className="flex min-w-0 items-center gap-1.5">
                <AccountChip address={address} />
                <Button variant="ghost" size="icon-sm" onClick={signOut} loading={pending} aria-label="Sign out" title="Sign out">
                  {!pending && <LogOutIcon />}
                </Button>
              </div>
            </div>
            <nav aria-label="Dashboard" className="-mb-px overflow-x-auto px-3 pb-2 [scrollbar-width:none]">
              <NavLinks orientation="horizontal" />
            </nav>
          </header>
          <main id="main" className="min-w-0 flex-1">
            <div className="mx-auto w-full max-w-6xl px-4 py-6 sm:px-6 lg:px-10 lg:py-10">{children}</div>
            <div className="flex justify-center pb-8 lg:hidden">
              <ThemeToggle />
            </div>
          </main>
        </div>
      </ToastProvider>
    </DashboardProvider>
  );
}

/** A page title with its description and primary actions. */
export function PageHeader({
  title,
  description,
  actions,
  back,
}: {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  back?: ReactNode;
}) {
  return (
    <div className="mb-6 sm:mb-8">
      {back}
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div className="min-w-0">
          <h1 className="text-2xl font-semibold tracking-tight text-zinc-900 dark:text-white">{title}</h1>
          {description && <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">{description}</p>}
        </div>
        {actions && <div className="flex flex-wrap items-center gap-2">{actions}</div>}
      </div>
    </div>
  );
}
