import type { z } from 'zod';

// A short description of why a response did not match its schema, for error messages and logs.
// Only issue paths and zod's own messages (which name expected types, never received values)
// are used, so no response content, and hence no credential, can end up in it.

export function summarizeZodError(error: z.ZodError, maxIssues = 3): string {
  const parts = error.issues.slice(0, maxIssues).map((issue) => {
    const where = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
    return `${where}: ${issue.message}`;
  });
  const more = error.issues.length - maxIssues;
  if (more > 0) parts.push(`and ${more} more`);
  const text = parts.join('; ');
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}
