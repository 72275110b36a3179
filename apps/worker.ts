// The worker process's entry: the worker, with the front ends' notifiers and command runners handed in. It lives above
// both, so neither has to import the other (the worker never imports bots/).
import { frontEndCommands } from '../bots/commands';
import { frontEndNotifiers } from '../bots/notifiers';
import { runMain } from '../core/process';
import { runWorkerProcess } from '../worker/process';

runMain('worker', () => runWorkerProcess({ notifiers: frontEndNotifiers, commands: frontEndCommands }));
