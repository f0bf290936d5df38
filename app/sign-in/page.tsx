import type { Metadata } from 'next';
import { forbidden, redirect } from 'next/navigation';
import { connection } from 'next/server';
import { readRouteQuery, searchParamsOf } from '@/lib/http/routes';
import { signInMessage } from '@/lib/access/sign-in';
import { PageShell } from '@/components/ui/page-shell';
import { getOrganization } from '@/lib/server/directory-service';
import { theApp } from '@/lib/server/app-handle';

export const metadata: Metadata = { title: 'Sign in · Staff directory', robots: { index: false } };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const field = 'w-full rounded-md border border-line bg-surface-raised px-3 py-2';

/** DIRECTORY_ACCESS=zulip: sign in with a Zulip email and password, or an API key. Works without JavaScript. */
export default async function SignInPage({ searchParams }: Props) {
  await connection();
  const app = theApp();
  const mode = app.settings.access.config.mode;
  if (mode === 'open' || mode === 'proxy') redirect('/');
  if (mode !== 'zulip') forbidden();
  const parsed = readRouteQuery('/sign-in', searchParamsOf(await searchParams));
  const { next, error, retry } = parsed.ok ? parsed.value : {};
  const org = await getOrganization(app);
  const notice = error ? signInMessage(error) + (retry ? ` (about ${Math.ceil(retry / 60)} min)` : '') : null;
  return (
    <PageShell orgName={org.name} demo={org.demo}>
      <div className="mx-auto max-w-md space-y-4 py-6">
        <h1 className="text-2xl font-semibold">Sign in to the {org.name} directory</h1>
        <p className="text-ink-muted">Use your Zulip account. Your password or API key is checked by Zulip and is not kept.</p>
        {notice && (
          <p role={error === 'signed_out' ? 'status' : 'alert'} className={`rounded border px-3 py-2 text-sm ${error === 'signed_out' ? 'border-line' : 'border-warn bg-warn-surface text-warn'}`}>
            {notice}
          </p>
        )}
        <form method="post" action="/api/auth/sign-in" className="space-y-4">
          <input type="hidden" name="next" value={next ?? '/'} />
          <div className="space-y-1">
            <label htmlFor="sign-in-email" className="block font-medium">
              Zulip email
            </label>
            <input id="sign-in-email" name="email" type="email" required maxLength={254} autoComplete="username" className={field} />
          </div>
          <fieldset className="space-y-1">
            <legend className="font-medium">Sign in with</legend>
            <label className="mr-4 inline-flex items-center gap-1.5">
              <input type="radio" name="method" value="password" defaultChecked /> Password
            </label>
            <label className="inline-flex items-center gap-1.5">
              <input type="radio" name="method" value="api_key" /> API key
            </label>
          </fieldset>
          <div className="space-y-1">
            <label htmlFor="sign-in-secret" className="block font-medium">
              Password or API key
            </label>
            <input id="sign-in-secret" name="secret" type="password" required maxLength={1024} autoComplete="current-password" className={field} />
          </div>
          <button type="submit" className="rounded-md bg-accent px-4 py-2 font-medium text-accent-ink">
            Sign in
          </button>
        </form>
      </div>
    </PageShell>
  );
}
