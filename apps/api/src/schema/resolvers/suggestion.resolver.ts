import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { workspaceOf, type RequestContext } from '../../context';
import { ScoringModelSuggestion, SuggestScoringModelInput } from '../types/suggestion.type';
import { toValidationReport } from '../types/validation.type';

@Resolver()
export class SuggestionResolver {
  @Authorized('ADMIN')
  @Mutation(() => ScoringModelSuggestion, {
    description:
      'Suggests a rules model from recorded outcomes: points for the existing rules (20 points double the odds of converting), new rules for strong signals, tiers set by share; written as an editable draft and validated next to the version it is based on. Refused (INSUFFICIENT_OUTCOMES) below 200 conversions.',
  })
  async suggestScoringModel(
    @Arg('input', () => SuggestScoringModelInput) input: SuggestScoringModelInput,
    @Ctx() ctx: RequestContext,
  ): Promise<ScoringModelSuggestion> {
    const result = await ctx.services.suggestions.suggest(
      workspaceOf(ctx),
      {
        from: input.from,
        to: input.to,
        horizonDays: input.horizonDays,
        basedOnId: input.basedOn,
        description: input.description,
      },
      ctx.auth!.keyId,
    );
    return {
      draft: result.draft,
      validation: toValidationReport(result.validation),
      activeValidation: toValidationReport(result.activeValidation),
      aucDifference: result.comparison.aucDifference,
      summary: result.comparison.summary,
      changes: result.changes,
    };
  }
}
