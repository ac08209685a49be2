import { bearerTokenMatches, problem, ProblemError } from "@pay/lib/http";

/** Why a mutation is refused when no token is configured. */
export const mutationsDisabledDetail =
  "Mutating operations are disabled: set OPS_TOKEN (at least 32 characters) on the ops service";

/**
 * Checks a mutating API call: throws a 403 problem when mutations are
 * disabled (no token configured) and a 401 one when the bearer token is
 * missing or wrong.
 */
export function assertMayMutate(token: string | null, authorization: string | undefined): void {
  if (token === null) throw new ProblemError(problem("forbidden", mutationsDisabledDetail));
  if (!bearerTokenMatches(authorization, token)) {
    throw new ProblemError(
      problem("unauthorized", "Mutating operations need Authorization: Bearer <OPS_TOKEN>"),
    );
  }
}
