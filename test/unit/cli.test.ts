import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { CommandUnknownOpts } from '@commander-js/extra-typings'
import { createProgram } from '../../node/cli/main.js'
import { cliInProcess } from '../helpers/cli.js'
import { defaultDemoDir } from '../../node/demo/index.js'

/** Every command's words (`['council', 'show-agency']`), commander's own `help` left out. */
function commandPaths (command: CommandUnknownOpts, prefix: string[] = []): string[][] {
  return command.commands.flatMap((c) => [[...prefix, c.name()], ...commandPaths(c, [...prefix, c.name()])])
}

test('an unknown command exits 2', async () => {
  assert.equal((await cliInProcess(['no-such-command'])).code, 2)
})

test('porchlight alone and porchlight help print the list of commands and exit 0', async () => {
  for (const argv of [[], ['help'], ['--help']]) {
    const { code, out } = await cliInProcess(argv)
    assert.equal(code, 0, argv.join(' '))
    for (const name of ['init', 'start', 'chain', 'council', 'request', 'requests', 'clips', 'consent', 'footage', 'audit', 'demo']) {
      assert.match(out, new RegExp(`^  ${name} `, 'm'), `${argv.join(' ')} lists ${name}`)
    }
  }
})

test('every command and action has --help (exit 0, its own usage line)', async () => {
  const paths = commandPaths(createProgram())
  assert.ok(paths.length >= 20, 'the actions of council, request, clips and footage are commands too')
  for (const words of paths) {
    const { code, out } = await cliInProcess([...words, '--help'])
    assert.equal(code, 0, words.join(' '))
    assert.match(out, new RegExp(`^Usage: porchlight ${words.join(' ')} `), words.join(' '))
  }
})

test('a bad option, a missing required one, a bad value or a missing action exits 2 before anything runs', async () => {
  for (const argv of [
    ['start', '--dir', 'x', '--bogus'],
    ['start'],
    ['chain', '--port', '70000'],
    ['init', '--role', 'witness', '--dir', 'x'],
    ['council', 'show-agency', '--address', '0x12'],
    ['footage'],
    ['requests', '--dir']
  ]) {
    assert.equal((await cliInProcess(argv)).code, 2, argv.join(' '))
  }
})

test('the help names the defaults the commands use', async () => {
  assert.match((await cliInProcess(['demo', '--help'])).out, new RegExp(defaultDemoDir.replace(/[.]/g, '\\.')))
})

test('the polyfill provides Promise.withResolvers', async () => {
  const { promise, resolve } = Promise.withResolvers<number>()
  resolve(7)
  assert.equal(await promise, 7)
})
