/**
 * Numbers and labels as the Review view shows them: amounts in whole dollars with separators
 * (cents only below $1,000, where they still matter), scores and ratios to six significant
 * digits like the notebooks (so a Float32 0.8209999799 reads 0.821), flags as yes/no.
 */
import { formatNumber } from '../notebook/format-value.ts';

export { formatNumber };

export function formatUsd(n: number | null): string {
  if (n === null || !Number.isFinite(n)) return '–';
  const abs = Math.abs(n);
  return (
    (n < 0 ? '-$' : '$') +
    abs.toLocaleString('en-US', { maximumFractionDigits: abs >= 1000 ? 0 : 2, minimumFractionDigits: 0 })
  );
}

/** A probability or confidence in 0..1: three decimals are what a reviewer compares. */
export function formatShare(n: number | null): string {
  return n === null || !Number.isFinite(n) ? '–' : n.toFixed(3);
}

export function formatFeature(value: number | boolean | null): string {
  if (value === null) return '–';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return Number.isFinite(value) ? formatNumber(value) : String(value);
}

export function labelName(label: 0 | 1): string {
  return label === 1 ? 'Illicit' : 'Licit';
}

/** "2026-02-01 10:00 UTC" from an ISO time. */
export function formatWhen(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A long address or id shortened in the middle; the whole value goes in the title. */
export function shortId(id: string, keep = 8): string {
  return id.length <= keep * 2 + 1 ? id : `${id.slice(0, keep)}…${id.slice(-keep + 2)}`;
}

/** Long tokens (addresses, hashes) inside an id shortened, the rest kept: cluster_same_entity_5C55Ks…BGde_2025-10-06. */
export function shortTokens(id: string, keep = 6): string {
  return id.replace(/[A-Za-z0-9]{24,}/g, (token) => shortId(token, keep));
}
