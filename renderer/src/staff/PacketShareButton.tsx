import { useState } from 'react';
import type { PacketSummary } from '../../../shared/domain/cases';
import { describeError } from '../api/errors';
import { useT } from '../i18n';
import { useStaff } from './staff-context';

/**
 * A share link to one case's packet, for the platform's agent: 7 days, with download. Its
 * page shows the packet's evidence; its download is the packet's own zip (statement,
 * summary PDF, checksums). Listed, with every opening, under the order's share links.
 */
export function PacketShareButton({ packet }: { packet: PacketSummary }) {
  const { t } = useT();
  const { client, notify } = useStaff();
  const [url, setUrl] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const make = async () => {
    const r = await client.call<{ url: string }>('POST', '/shares', { packetId: packet.id, download: true });
    if (!r.ok) return notify('error', describeError(t, r.error));
    setUrl(r.value.url);
    setCopied(false);
  };
  return (
    <>
      <button type="button" onClick={() => void make()} data-testid="packet-share">
        {t('staff.share.packet')}
      </button>
      {url && (
        <span className="made">
          <input readOnly value={url} data-testid="packet-share-url" onFocus={(e) => e.target.select()} />
          <button type="button" onClick={() => void navigator.clipboard?.writeText(url).then(() => setCopied(true))}>
            {copied ? t('staff.share.copied') : t('staff.share.copy')}
          </button>
        </span>
      )}
    </>
  );
}
