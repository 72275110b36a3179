// Buying credits: the packs, a Checkout Session for one, and the pages Stripe sends people back to.
import { Router } from 'express';
import { z } from 'zod';
import { findOwned } from '../../core/db';
import { formatPrice } from '../../core/packs';
import { createCheckout, type PurchaseContext } from '../../services/purchases';
import { caller } from '../auth';
import { escapeHtml as esc, htmlPage } from '../html';
import { parseOr400, sendProblem } from '../problem';

export const CheckoutBodySchema = z.object({ pack: z.string().min(1, 'pack is required, e.g. "popular"').max(32) }).strict();

export function packsRouter(ctx: PurchaseContext): Router {
  const r = Router();
  r.get('/packs', (_req, res) => {
    res.json({
      packs: ctx.config.CREDIT_PACKS.map((p) => ({
        id: p.id,
        name: p.name,
        credits: p.credits,
        amount: p.amount,
        currency: p.currency,
        price: formatPrice(p),
      })),
    });
  });
  r.post('/checkout', async (req, res) => {
    const body = parseOr400(CheckoutBodySchema, req.body, res);
    if (!body) return;
    const who = caller(res);
    const out = await createCheckout(ctx, { accountId: who.accountId, memberId: who.memberId }, body.pack);
    res.status(201).json({ sessionId: out.sessionId, url: out.url, pack: out.pack.id, credits: out.pack.credits });
  });
  r.get('/purchases/:sessionId', async (req, res) => {
    const p = await findOwned(ctx.db.purchases, String(req.params.sessionId), caller(res).accountId);
    if (!p) return sendProblem(res, 404, 'Not found', 'No such purchase for this account.');
    res.json({ sessionId: p._id, pack: p.packId, credits: p.credits, status: p.status, clawedBack: p.clawedBack, history: p.history });
  });
  return r;
}

/** The return pages read the purchase's state as the workflow recorded it, never the URL's word. */
export function checkoutPagesRouter(ctx: PurchaseContext): Router {
  const r = Router();
  const lookup = async (id: unknown) => (typeof id === 'string' && /^cs_[\w-]{1,200}$/.test(id) ? ctx.db.purchases.findOne({ _id: id }) : null);
  r.get('/checkout/success', async (req, res) => {
    const p = await lookup(req.query.session_id);
    if (!p)
      return void res
        .status(404)
        .type('html')
        .send(htmlPage('We could not find that purchase', '<p>The link is incomplete or the purchase belongs to another server.</p>'));
    if (p.status === 'granted')
      return void res.type('html').send(htmlPage('Thank you!', `<p><strong>${p.credits} credits</strong> were added to your account.</p>`));
    if (p.status === 'open' || p.status === 'awaiting_payment') {
      return void res
        .type('html')
        .send(
          htmlPage(
            'Confirming your payment…',
            '<p>Stripe is confirming the payment. This page refreshes by itself; credits appear as soon as it is confirmed.</p>',
            { refreshSeconds: 3 },
          ),
        );
    }
    if (p.status === 'mismatch') {
      return void res
        .type('html')
        .send(
          htmlPage(
            'We are checking this payment',
            '<p>The payment did not match the pack, so no credits were added yet. We have been alerted and will sort it out.</p>',
          ),
        );
    }
    res.type('html').send(htmlPage('This purchase did not go through', `<p>Status: ${esc(p.status)}. Nothing was charged, or the charge was refunded.</p>`));
  });
  r.get('/checkout/cancel', async (req, res) => {
    const p = await lookup(req.query.session_id);
    const granted = p?.status === 'granted';
    res
      .type('html')
      .send(
        granted
          ? htmlPage('Your purchase is complete', `<p>${p.credits} credits were already added to your account.</p>`)
          : htmlPage(
              'Purchase canceled',
              '<p>No payment was taken. You can buy credits any time with <code>/postforge credits</code>, <code>/credits</code> or the extension.</p>',
            ),
      );
  });
  return r;
}
