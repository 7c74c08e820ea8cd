import { test } from 'node:test'
import assert from 'node:assert/strict'
import { main } from '../../../node/cli/main.js'

async function quietly (argv: string[]): Promise<{ code: number, errors: string[] }> {
  const saved = console.error
  const errors: string[] = []
  console.error = (line: string) => { errors.push(line) }
  try {
    return { code: await main(argv), errors }
  } finally {
    console.error = saved
  }
}

for (const argv of [['--residents', '0'], ['--residents', '65'], ['--residents', 'x'], ['--anchor-interval', '0'], ['--anchor-interval', '1.5'], ['--nope']]) {
  test(`porchlight demo ${argv.join(' ')}: a usage error (exit 2) before anything starts`, async () => {
    const { code, errors } = await quietly(['demo', ...argv])
    assert.equal(code, 2)
    assert.match(errors.join('\n'), /usage: porchlight demo/i)
  })
}
