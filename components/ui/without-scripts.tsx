import { headers } from 'next/headers';
import { nonceOf } from '@/lib/http/security-headers';

/**
 * What a page looks like in a browser that runs no scripts: a control that only a script can work
 * (`data-needs-script`: a button that folds, a chip that removes a filter) is not shown, and what
 * such a control would unfold (`data-unfold-without-script`: the filters, below Tailwind's `sm`) is open. A
 * style in <noscript>, with the page's nonce (the Content-Security-Policy allows no other).
 */
export async function WithoutScripts() {
  const nonce = nonceOf((await headers()).get('content-security-policy'));
  if (!nonce) return null;
  return (
    <noscript>
      <style nonce={nonce}>{'[data-needs-script]{display:none!important}@media (width < 40rem){[data-unfold-without-script]{display:grid!important}}'}</style>
    </noscript>
  );
}
