// Readiness: the checks a node must pass to do its work, run together when asked. A check resolves when
// it passes and throws when it does not; its error's code is what /readyz reports.
import { isPorchlightError } from '../../protocol/index.js'

export interface ReadinessCheck {
  name: string
  check: () => Promise<void>
}

export interface CheckResult {
  ok: boolean
  /** The failing check's error code. */
  error?: string
}

export interface Readiness {
  ready: boolean
  checks: Record<string, CheckResult>
}

export async function checkReadiness (checks: readonly ReadinessCheck[]): Promise<Readiness> {
  const results = await Promise.all(checks.map(async ({ name, check }): Promise<[string, CheckResult]> => {
    try {
      await check()
      return [name, { ok: true }]
    } catch (err) {
      return [name, { ok: false, error: isPorchlightError(err) ? err.code : 'CHECK_FAILED' }]
    }
  }))
  return { ready: results.every(([, r]) => r.ok), checks: Object.fromEntries(results) }
}
