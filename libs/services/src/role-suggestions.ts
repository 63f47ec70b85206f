import type { BuyingRole } from './buying-group.service';

/** Title and department words that suggest a contact can fill a buying-committee role. */
const ROLE_PATTERNS: Record<BuyingRole, { title: RegExp; department?: RegExp }> = {
  DECISION_MAKER: {
    title:
      /\b(ceo|cto|cio|cmo|cro|coo|chief|president|founder|owner|vp|vice president|head of|director)\b/i,
  },
  ECONOMIC_BUYER: {
    title: /\b(cfo|chief financial|finance|controller|treasurer|ceo|president|owner|budget)\b/i,
    department: /\bfinance\b/i,
  },
  CHAMPION: { title: /\b(manager|lead|head|director|principal)\b/i },
  INFLUENCER: { title: /\b(senior|principal|architect|lead|manager|consultant)\b/i },
  TECHNICAL_EVALUATOR: {
    title:
      /\b(engineer|engineering|architect|developer|it|cto|technical|devops|data|security|platform)\b/i,
    department: /\b(engineering|it|information technology|data|security|r&d)\b/i,
  },
  USER: {
    title:
      /\b(analyst|specialist|coordinator|associate|representative|operations|admin(istrator)?)\b/i,
  },
  LEGAL_PROCUREMENT: {
    title: /\b(legal|counsel|attorney|procurement|purchasing|contracts?|compliance|sourcing)\b/i,
    department: /\b(legal|procurement|purchasing)\b/i,
  },
  BLOCKER: {
    title: /\b(security|compliance|legal|risk|privacy)\b/i,
    department: /\b(security|legal|compliance)\b/i,
  },
};

/** 2 for a title match, +1 for a department match; 0 means the contact does not fit. */
export function roleFit(role: BuyingRole, title: string | null, department: string | null): number {
  const pattern = ROLE_PATTERNS[role];
  let fit = 0;
  if (title && pattern.title.test(title)) fit += 2;
  if (department && pattern.department?.test(department)) fit += 1;
  return fit;
}

export interface SuggestionCandidate {
  contactId: string;
  title: string | null;
  department: string | null;
  total: number;
}

/** Candidates whose title or department fits the role: best fit first, then highest score. */
export function rankSuggestions(
  candidates: readonly SuggestionCandidate[],
  role: BuyingRole,
  first: number,
) {
  return candidates
    .map((c) => ({
      contactId: c.contactId,
      fit: roleFit(role, c.title, c.department),
      total: c.total,
    }))
    .filter((c) => c.fit > 0)
    .sort((a, b) => b.fit - a.fit || b.total - a.total || a.contactId.localeCompare(b.contactId))
    .slice(0, first);
}
