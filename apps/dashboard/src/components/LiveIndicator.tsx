import { useLive } from '../live-updates';

const LABELS = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  forbidden: 'Live updates off: the key lacks SUBSCRIBE or was revoked',
} as const;

export function LiveIndicator() {
  const { status, events } = useLive();
  return (
    <span className={`live ${status}`} role="status" data-status={status}>
      <span className="dot" aria-hidden="true" />
      {LABELS[status]}
      {status === 'live' && events > 0 && (
        <span className="muted small">
          {' '}
          · {events} update{events === 1 ? '' : 's'}
        </span>
      )}
    </span>
  );
}
