/**
 * META.json: the manifest of one snapshot folder. Its counts and sha256 digests are what really
 * protect a user from a damaged download: corrupted Parquet often still decodes without error
 * (83 of 613 fuzzed files did, shared/stack-notes.md).
 */
import { z } from 'zod';

export const SnapshotMeta = z.object({
  schema_version: z.string(),
  batch_id: z.string(),
  network: z.string(),
  processing_date: z.string(),
  window_days: z.coerce.number().int(),
  generated_at: z.string().optional(),
  counts: z.record(z.string(), z.coerce.number().int().nonnegative()).default({}),
  sha256: z.record(z.string(), z.string().regex(/^[0-9a-fA-F]{64}$/)).default({}),
});
export type SnapshotMeta = z.infer<typeof SnapshotMeta>;

/** Parse META.json text; throws an Error whose message says what is wrong and where. */
export function parseMeta(path: string, text: string): SnapshotMeta {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${path}: not valid JSON (${(e as Error).message})`);
  }
  const parsed = SnapshotMeta.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${path}: field ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}
