import { formatPercent } from '../format';

/** Committee coverage: the share of required roles covered by engaged members. */
export function CoverageBar({ coverage, engaged }: { coverage: number; engaged: number }) {
  const level = coverage >= 0.75 ? 'good' : coverage >= 0.5 ? 'fair' : 'poor';
  return (
    <div className="coverage" title={`${engaged} engaged contact${engaged === 1 ? '' : 's'}`}>
      <div className="coverage-track">
        <div className={`coverage-fill ${level}`} style={{ width: `${coverage * 100}%` }} />
      </div>
      <span className="coverage-label">{formatPercent(coverage)}</span>
      <span className="muted small">{engaged} engaged</span>
    </div>
  );
}
