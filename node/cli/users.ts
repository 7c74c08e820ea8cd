// `porchlight users add ID --role R | list | disable ID`: an agency's users, each with a credential of their
// own (docs/agency.md, "Users and roles"). Through the running node's API with its own token (the operator,
// who holds every role): the store is locked while the node runs. The credential is printed once.
import type { Command } from '@commander-js/extra-typings'
import { Option } from '@commander-js/extra-typings'
import { act } from './command.js'
import { NodeApiClient } from '../api/client.js'
import { USER_ROLES } from '../api/principal.js'

export function addUsersCommand (program: Command): void {
  const users = program.command('users')
    .summary('an agency\'s users: add, list, disable')
    .description('Agency users, each with a role (investigator: deliveries, footage, evidence; supervisor: also approves ' +
      'shares and deletes footage; admin: also manages users) and a credential of their own. The id is a pseudonym ' +
      'you choose (a badge number): the public log records it as the actor of every access, share and deletion.')
  users.command('add')
    .summary('add a user; prints their credential, once')
    .argument('<id>', 'a pseudonymous id (letters, digits, . _ -), never a name: the log records it')
    .addOption(new Option('--role <role>', 'what they may do').choices(USER_ROLES).makeOptionMandatory())
    .option('--dir <dir>', 'the node\'s directory (the node must be running)', '.')
    .option('--json', 'print the user and credential as JSON')
    .action(act(async (id, o) => {
      const api = await NodeApiClient.forDir(o.dir)
      const created = await api.call('POST /api/users', { body: { id, role: o.role } })
      if (o.json === true) {
        console.log(JSON.stringify(created))
        return 0
      }
      console.log(`Added ${created.user.id} (${created.user.role}). Their credential, shown this once (the node keeps only its hash):\n\n  ${created.token}\n`)
      console.log('They sign in to the UI with it (or send it as `Authorization: Bearer …`). Disable it with: ' +
        `porchlight users disable ${created.user.id} --dir ${o.dir}`)
      return 0
    }))
  users.command('list')
    .summary('the users, one a line: id, role, when added, disabled or active')
    .option('--dir <dir>', 'the node\'s directory (the node must be running)', '.')
    .option('--json', 'print the list as JSON')
    .action(act(async (o) => {
      const api = await NodeApiClient.forDir(o.dir)
      const list = await api.call('GET /api/users')
      if (o.json === true) console.log(JSON.stringify(list))
      else for (const u of list) console.log(`${u.id}  ${u.role}  added ${u.createdAt}  ${u.disabledAt === undefined ? 'active' : `disabled ${u.disabledAt}`}`)
      return 0
    }))
  users.command('disable')
    .summary('disable a user: their next request is refused, and those in flight end')
    .argument('<id>', 'the user\'s id')
    .option('--dir <dir>', 'the node\'s directory (the node must be running)', '.')
    .action(act(async (id, o) => {
      const api = await NodeApiClient.forDir(o.dir)
      const disabled = await api.call('POST /api/users/:id/disable', { params: { id }, body: {} })
      console.log(`disabled ${disabled.id} (${disabled.role}) at ${disabled.disabledAt ?? ''}; the id stays theirs in the log and is never given again`)
      return 0
    }))
}
