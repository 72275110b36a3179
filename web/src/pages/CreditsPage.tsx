// Credits: the balance, every ledger entry with its reason, and the packs (Stripe Checkout).
import { useEffect, useState } from 'react';
import type { PageProps } from '../App';
import { api } from '../api';
import { formatWhen } from '../time';

type Credits = Awaited<ReturnType<typeof api.credits>>;

export function CreditsPage({ me, version }: PageProps) {
  const [c, setC] = useState<Credits | undefined>();
  const [message, setMessage] = useState<string | undefined>();
  const [buying, setBuying] = useState<string | undefined>();
  useEffect(() => {
    api.credits().then(setC, (e: Error) => setMessage(e.message));
  }, [version]);

  const buy = async (pack: string) => {
    setBuying(pack);
    setMessage(undefined);
    try {
      const { url } = await api.checkout(pack);
      // Stripe's page; it sends the member back to /checkout/success or /checkout/cancel.
      location.assign(url);
    } catch (e) {
      setMessage((e as Error).message);
      setBuying(undefined);
    }
  };

  if (!c) return message ? <p className="error">{message}</p> : <p>Loading…</p>;
  return (
    <section>
      <h1>Credits</h1>
      <p className="big" data-testid="balance">
        {c.balance} credits
      </p>
      <h2>Buy a pack</h2>
      <div className="cards">
        {c.packs.map((p) => (
          <div className="card pack" key={p.id}>
            <strong>{p.name}</strong>
            <span>
              {p.credits} credits · {p.price}
            </span>
            <button disabled={!!buying} onClick={() => void buy(p.id)} data-testid={`buy-${p.id}`}>
              {buying === p.id ? 'Opening Checkout…' : 'Buy'}
            </button>
          </div>
        ))}
      </div>
      {message && (
        <p className="error" role="status">
          {message}
        </p>
      )}
      <h2>History</h2>
      <div className="table-wrap">
        <table data-testid="ledger">
          <thead>
            <tr>
              <th>When</th>
              <th>Change</th>
              <th>Balance</th>
              <th>Why</th>
            </tr>
          </thead>
          <tbody>
            {c.transactions.map((t) => (
              <tr key={t.id}>
                <td data-label="When">{formatWhen(t.at, me.timeZone)}</td>
                <td data-label="Change" className={t.amount < 0 ? 'minus' : 'plus'}>
                  {t.amount > 0 ? `+${t.amount}` : t.amount}
                </td>
                <td data-label="Balance">{t.balanceAfter}</td>
                <td data-label="Why">
                  {t.reason}
                  {t.postId ? ` (post ${t.postId.slice(0, 8)})` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
