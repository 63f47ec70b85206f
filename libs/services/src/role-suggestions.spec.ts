import { describe, expect, it } from 'vitest';
import { roleFit } from './role-suggestions';

describe('roleFit', () => {
  it('ranks a title match above a department match, and both above none', () => {
    expect(roleFit('TECHNICAL_EVALUATOR', 'Senior Data Engineer', 'Engineering')).toBe(3);
    expect(roleFit('TECHNICAL_EVALUATOR', 'Senior Data Engineer', null)).toBe(2);
    expect(roleFit('TECHNICAL_EVALUATOR', 'Account Executive', 'Engineering')).toBe(1);
    expect(roleFit('TECHNICAL_EVALUATOR', 'Account Executive', 'Sales')).toBe(0);
  });

  it('recognises executives as decision makers and finance as economic buyers', () => {
    expect(roleFit('DECISION_MAKER', 'VP Marketing', null)).toBeGreaterThan(0);
    expect(roleFit('DECISION_MAKER', 'Marketing Coordinator', null)).toBe(0);
    expect(roleFit('ECONOMIC_BUYER', 'Chief Financial Officer', 'Finance')).toBe(3);
    expect(roleFit('LEGAL_PROCUREMENT', 'Procurement Lead', null)).toBe(2);
  });
});
