/**
 * A zod error as the configuration errors list it: a dotted path and a message. The one wording
 * that differs from zod's own is for unknown fields, which names them as the user wrote them.
 */
import type { z } from 'zod';

export interface ConfigIssue {
  path: string;
  message: string;
}

export function configIssues(error: z.ZodError): ConfigIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message:
      issue.code === 'unrecognized_keys'
        ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`
        : issue.message,
  }));
}
