import { useState, type FormEvent } from 'react';
import {
  APPEAL_TYPES,
  FREIGHT_KINDS,
  SCENARIOS,
  formatAmount,
  parseAmount,
  type AppealType,
  type CaseFacts,
  type FreightKind,
  type Scenario,
} from '../../../shared/domain/cases';
import { useT } from '../i18n';
import { fromLocalInput, toLocalInput } from './hooks';

export type FactsInput = Partial<Omit<CaseFacts, 'appealType' | 'scenario'>> & {
  appealType: AppealType;
  scenario: Scenario;
};

/**
 * The facts of a case: appeal type (with what it is for), scenario, times (typed in
 * local time, sent as UTC), amounts, and the type's own fields — free shipping and the
 * freight kind for a shipping-fee appeal, the fast-refund flag for a fast-refund one.
 * The core enforces the rules; this form only shows the fields that apply.
 */
export function CaseFactsForm({
  initial,
  withOrder,
  submitLabel,
  onSubmit,
}: {
  initial?: Partial<FactsInput> & { orderNo?: string };
  withOrder?: boolean;
  submitLabel: string;
  onSubmit(v: FactsInput & { orderNo?: string; trackingNo?: string }): Promise<void>;
}) {
  const { t } = useT();
  const [orderNo, setOrderNo] = useState(initial?.orderNo ?? '');
  const [trackingNo, setTrackingNo] = useState('');
  const [appealType, setType] = useState<AppealType>(initial?.appealType ?? 'goods');
  const [scenario, setScenario] = useState<Scenario>(initial?.scenario ?? 'damaged');
  const [signFor, setSignFor] = useState(toLocalInput(initial?.signForAt ?? null));
  const [refund, setRefund] = useState(toLocalInput(initial?.refundAt ?? null));
  const [proofBeforeRefusal, setPbr] = useState(initial?.proofBeforeRefusal ?? false);
  const [freeShipping, setFree] = useState(initial?.freeShipping ?? false);
  const [freightKind, setFreight] = useState<FreightKind>(initial?.freightKind ?? 'refunded');
  const [amount, setAmount] = useState(
    initial?.amountClaimedCents != null ? formatAmount(initial.amountClaimedCents) : '',
  );
  const [orderAmount, setOrderAmount] = useState(
    initial?.orderAmountCents != null ? formatAmount(initial.orderAmountCents) : '',
  );
  const [notes, setNotes] = useState(initial?.notes ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const cents = amount.trim() ? parseAmount(amount) : null;
    const paid = orderAmount.trim() ? parseAmount(orderAmount) : null;
    if ((amount.trim() && cents === null) || (orderAmount.trim() && paid === null))
      return setProblem(t('case.problem.amount-not-positive'));
    setProblem(null);
    setBusy(true);
    try {
      await onSubmit({
        ...(withOrder ? { orderNo: orderNo.trim(), trackingNo: trackingNo.trim() || undefined } : {}),
        appealType,
        scenario,
        signForAt: fromLocalInput(signFor),
        refundAt: fromLocalInput(refund),
        proofBeforeRefusal,
        freeShipping: appealType === 'shipping' ? freeShipping : null,
        freightKind: appealType === 'shipping' ? freightKind : null,
        amountClaimedCents: cents,
        orderAmountCents: paid,
        notes,
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="case-form" onSubmit={submit} data-testid="case-form">
      {withOrder && (
        <>
          <label>
            {t('case.order')}
            <input required value={orderNo} onChange={(e) => setOrderNo(e.target.value)} data-testid="case-order" />
          </label>
          <label>
            {t('case.tracking')}
            <input value={trackingNo} onChange={(e) => setTrackingNo(e.target.value)} />
          </label>
        </>
      )}
      <label>
        {t('case.type')}
        <select value={appealType} onChange={(e) => setType(e.target.value as AppealType)} data-testid="case-type">
          {APPEAL_TYPES.map((x) => (
            <option key={x} value={x}>
              {t(`appealType.${x}`)}
            </option>
          ))}
        </select>
      </label>
      <p className="hint">{t(`appealType.${appealType}.hint`)}</p>
      <label>
        {t('case.scenario')}
        <select value={scenario} onChange={(e) => setScenario(e.target.value as Scenario)} data-testid="case-scenario">
          {SCENARIOS.map((x) => (
            <option key={x} value={x}>
              {t(`scenario.${x}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('case.signFor')}
        <input
          type="datetime-local"
          value={signFor}
          onChange={(e) => setSignFor(e.target.value)}
          data-testid="case-signfor"
        />
      </label>
      <label className="check">
        <input type="checkbox" checked={proofBeforeRefusal} onChange={(e) => setPbr(e.target.checked)} />
        {t('case.proofBeforeRefusal')}
      </label>
      <label>
        {t('case.refund')}
        <input
          type="datetime-local"
          value={refund}
          onChange={(e) => setRefund(e.target.value)}
          data-testid="case-refund"
        />
      </label>
      {appealType === 'shipping' && (
        <>
          <label className="check">
            <input type="checkbox" checked={freeShipping} onChange={(e) => setFree(e.target.checked)} />
            {t('case.freeShipping')}
          </label>
          <label>
            {t('case.freight')}
            <select value={freightKind} onChange={(e) => setFreight(e.target.value as FreightKind)}>
              {FREIGHT_KINDS.map((x) => (
                <option key={x} value={x}>
                  {t(`freight.${x}`)}
                </option>
              ))}
            </select>
          </label>
        </>
      )}
      {appealType !== 'responsibility' && (
        <label>
          {t('case.amount')}
          <input
            inputMode="decimal"
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            data-testid="case-amount"
          />
        </label>
      )}
      {appealType === 'goods' && (
        <label>
          {t('case.orderAmount')}
          <input inputMode="decimal" value={orderAmount} onChange={(e) => setOrderAmount(e.target.value)} />
        </label>
      )}
      <label>
        {t('case.notes')}
        <textarea rows={2} value={notes} onChange={(e) => setNotes(e.target.value)} />
      </label>
      {problem && <p className="error">{problem}</p>}
      <button
        className="primary"
        type="submit"
        disabled={busy || (withOrder && !orderNo.trim())}
        data-testid="case-submit"
      >
        {submitLabel}
      </button>
    </form>
  );
}
