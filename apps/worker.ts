// The worker process's entry: the worker, with the front ends' notifiers handed in. It lives above
// both, so neither has to import the other (the worker never imports bots/).
import { frontEndNotifiers } from '../bots/notifiers';
import { runMain } from '../core/process';
import { runWorkerProcess } from '../worker/process';

runMain('worker', () => runWorkerProcess({ notifiers: frontEndNotifiers }));
