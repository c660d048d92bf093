/**
 * `npm run cli -- <command>`: train and evaluate from the terminal with the
 * same engine and the same session files as the browser app.
 *
 *   train    --data builtin:sinusoid|builtin:omniglot|FILE.csv|IMAGES.zip … --out SESSION.json
 *   evaluate --session SESSION.json [--episodes 600] [--steps 0,1,10] [--json]
 *   sweep    --data … [--space SPACE.json] [--trials 20] [--sampler tpe] [--json]
 *   export   --session SESSION.json --format tfjs|safetensors|python --out DIR
 *   adapt    --session SESSION.json --support TASK.csv --predict QUERIES.csv [--out FILE.csv]
 *   monitor  --session SESSION.json --tasks NEW-TASKS.csv [--episodes 200] [--json]
 *
 * Every failure a person can cause (unknown flag, missing file, bad CSV, bad
 * value) ends with one line on stderr and exit code 1.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import {
  ALGORITHMS,
  BACKBONES,
  MAX_DROPOUT,
  META_OPTIMIZERS,
  type AlgorithmName,
} from '../core/spec/config';
import { reportAndExit } from './errors';
import { runTrain } from './train-command';
import { runEvaluate } from './evaluate-command';
import { runSweepCommand } from './sweep-command';
import { EXPORT_FORMATS, runExport } from './export-command';
import { runAdapt } from './adapt-command';
import { NODE_BACKENDS } from './backend-node';
import { runMonitor } from './monitor-command';
import { SAMPLER_NAMES } from '../core/spec/sweep-space';

const int = (name: string) => (v: string) => {
  const n = Number(v);
  if (!/^-?\d+$/.test(v.trim()) || !Number.isSafeInteger(n))
    throw new InvalidArgumentError(`${name} must be a whole number, got "${v}".`);
  return n;
};
const num = (name: string) => (v: string) => {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n))
    throw new InvalidArgumentError(`${name} must be a number, got "${v}".`);
  return n;
};
const positive = (name: string) => (v: string) => {
  const n = num(name)(v);
  if (!(n > 0)) throw new InvalidArgumentError(`${name} must be greater than 0, got "${v}".`);
  return n;
};
const intList = (name: string) => (v: string) => v.split(',').map((x) => int(name)(x));

/** The data flags (CSV roles, images) and the training configuration flags: train and sweep share them. */
function withDataAndConfigOptions(cmd: Command, seedHelp: string): Command {
  return cmd
    .option(
      '--image-size <px>',
      'images: side of the square input, 28 to 84 (default 28)',
      int('--image-size'),
    )
    .option('--channels <c>', 'images: 1 = grayscale (default), 3 = RGB', int('--channels'))
    .option('--task-column <name>', 'CSV column grouping rows into tasks')
    .option('--target <name>', 'CSV column to predict')
    .option('--features <list>', 'CSV feature columns, comma-separated')
    .option('--split-column <name>', 'CSV column with train/val/test per task')
    .option(
      '--val-fraction <f>',
      'share of CSV tasks (episodic: classes) for meta-validation, default 0.15',
      num('--val-fraction'),
    )
    .option(
      '--test-fraction <f>',
      'share of CSV tasks (episodic: classes) for meta-testing, default 0.15 (episodic: at least N classes when there are 3N)',
      num('--test-fraction'),
    )
    .addOption(
      new Option('--kind <kind>', 'problem type').choices(['regression', 'classification']),
    )
    .addOption(new Option('--mode <mode>', 'classification mode').choices(['per-task', 'episodic']))
    .addOption(new Option('--algorithm <name>', 'method').choices(ALGORITHMS).default('maml'))
    .option('--meta-steps <n>', 'outer updates', int('--meta-steps'))
    .option('--meta-batch <n>', 'tasks per meta-update', int('--meta-batch'))
    .option('--shots <k>', 'K examples per task (per class)', int('--shots'))
    .option('--ways <n>', 'N classes per episode', int('--ways'))
    .option('--queries <q>', 'query examples per task (per class)', int('--queries'))
    .option('--inner-lr <a>', 'inner learning rate', num('--inner-lr'))
    .option('--inner-steps <s>', 'inner steps during meta-training', int('--inner-steps'))
    .option('--eval-inner-steps <s>', 'adaptation steps at validation', int('--eval-inner-steps'))
    .option('--meta-lr <b>', 'meta learning rate (Adam; Reptile: ε)', num('--meta-lr'))
    .option('--hidden <sizes>', 'hidden layer sizes, e.g. 40,40', intList('--hidden'))
    .addOption(
      new Option(
        '--meta-optimizer <name>',
        'optimizer of the outer update (Reptile: none)',
      ).choices(META_OPTIMIZERS),
    )
    .option(
      '--weight-decay <l>',
      'L2 penalty λ on the meta-parameters (0 = off; not Meta-SGD rates, not Reptile)',
      num('--weight-decay'),
    )
    .option('--cosine-schedule', 'decay the meta learning rate along a half cosine to 0')
    .option(
      '--multi-step-loss',
      'MAML++ multi-step loss: weigh the query loss after every inner step, annealed to the last over the first 15% of meta-steps (MAML on the MLP only)',
    )
    .option(
      '--per-step-rates',
      'MAML++ learned inner rate per layer tensor and inner step, meta-trained with the init (MAML on the MLP only)',
    )
    .option(
      '--dropout <p>',
      `dropout rate 0 to ${MAX_DROPOUT} on hidden units; only the pre-training baseline and ProtoNet's MLP use it (off for the inner-loop methods and the conv net)`,
      num('--dropout'),
    )
    .addOption(
      new Option('--backbone <net>', 'network (default: conv4 for image data, else mlp)').choices(
        BACKBONES,
      ),
    )
    .addOption(
      new Option('--filters <n>', 'conv4 filters per layer (default 64)')
        .choices(['32', '64'])
        .argParser((v) => Number(v)),
    )
    .option('--val-every <n>', 'meta-validate every n steps', int('--val-every'))
    .option('--val-tasks <n>', 'episodes per meta-validation', int('--val-tasks'))
    .option('--patience <n>', 'early-stopping patience in validations (0 = off)', int('--patience'))
    .option('--seed <s>', seedHelp, int('--seed'));
}

const program = new Command()
  .name('npm run cli --')
  .description('Meta-Learning Playground on the command line (tfjs, Node).')
  .exitOverride()
  .configureOutput({
    outputError: (str, write) => write(str.split('\n').filter(Boolean)[0] + '\n'),
  })
  .showSuggestionAfterError(true);

const backendOption = () =>
  new Option(
    '--backend <name>',
    'tfjs backend; wasm-fused: MAML and first-order MAML meta-train on our own WASM SIMD kernels (tfjs wasm for the rest); wasm-fused-2t: the same with each meta-batch shared by a second thread',
  )
    .choices(NODE_BACKENDS)
    .default('wasm');

const train = program
  .command('train')
  .description('meta-train on a built-in family or a CSV and write a session file')
  .option(
    '--data <source>',
    "builtin:sinusoid | builtin:linear | builtin:blobs | builtin:omniglot | FILE.csv | IMAGES.zip | IMAGE-FOLDER/ (with --resume: the session's unless given)",
  )
  .requiredOption('--out <file>', 'session file to write (.json or .json.gz)')
  .option(
    '--resume <session>',
    'continue the run saved in this session file from its last step (weights, optimizer state, task stream, curves); its settings hold unless a flag here overrides one (e.g. a larger --meta-steps)',
  );

withDataAndConfigOptions(train, 'random seed')
  .option(
    '--time-limit <minutes>',
    'stop meta-training after this many minutes, validate the last weights and save (Ctrl-C does the same at any time)',
    positive('--time-limit'),
  )
  .option('--no-baseline', 'skip training the joint pre-training baseline')
  .option('--name <name>', 'session name')
  .addOption(backendOption())
  .action(async (opts, cmd: Command) =>
    runTrain({ ...opts, algorithmGiven: cmd.getOptionValueSource('algorithm') === 'cli' }),
  );

program
  .command('evaluate')
  .description("evaluate a session's model and both baselines on held-out tasks")
  .requiredOption('--session <file>', 'session file (.json or .json.gz)')
  .option('--episodes <n>', 'held-out tasks or episodes', int('--episodes'), 600)
  .option('--steps <list>', 'adaptation steps to report', intList('--steps'), [0, 1, 10])
  .option(
    '--shots <k>',
    "K (default: the session's; image sessions: the papers' 1 and 5)",
    int('--shots'),
  )
  .option(
    '--ways <n>',
    "image sessions: N for a single setting (default: the papers' 5-way 1-shot, 5-way 5-shot and 20-way 1-shot)",
    int('--ways'),
  )
  .option(
    '--queries <q>',
    "query examples per task (default: 100 for regression, the session's for classification)",
    int('--queries'),
  )
  .option('--inner-lr <a>', "inner learning rate (default: the session's)", num('--inner-lr'))
  .option('--seed <s>', 'evaluation seed', int('--seed'))
  .option('--data <file>', 'CSV, zip or image folder to use instead of the one the session names')
  .option('--json', 'print one JSON object on stdout')
  .option(
    '--metrics',
    'also report the three metrics over 10 steps for every model on the same tasks: adaptation speed (steps to 90% of the improvement, curve area), generalization (meta-train vs meta-test tasks, gap) and robustness (corrupted support labels; K halved)',
  )
  .option(
    '--corruption <f>',
    "robustness: noise sd as a fraction of the targets' sd (regression, default 0.5) or share of flipped labels (classification, default 0.2)",
    num('--corruption'),
  )
  .addOption(backendOption())
  .action(async (opts) => runEvaluate(opts));

const sweep = program
  .command('sweep')
  .description(
    'search hyper-parameters: grid, random or TPE trials, successive halving on meta-validation',
  )
  .requiredOption('--data <source>', 'builtin:sinusoid | builtin:linear | builtin:blobs | FILE.csv')
  .option(
    '--space <file>',
    'search space JSON, e.g. {"innerLr": {"type": "float", "low": 0.001, "high": 1, "log": true}} (default: the algorithm\'s default space, printed)',
  )
  .option('--trials <n>', 'number of trials', int('--trials'), 20)
  .addOption(
    new Option('--sampler <name>', 'how trials are proposed').choices(SAMPLER_NAMES).default('tpe'),
  );

withDataAndConfigOptions(sweep, 'seed of the sampler and of every trial')
  .option(
    '--grace-period <steps>',
    'successive halving: meta-steps before the first rung (default: --val-every)',
    int('--grace-period'),
  )
  .option('--no-pruning', 'run every trial to the end')
  .option(
    '--compare-default',
    'also train the default settings and compare on the same meta-test tasks',
  )
  .option('--episodes <n>', 'meta-test episodes of --compare-default', int('--episodes'), 600)
  .option('--eval-step <s>', 'adaptation steps scored by --compare-default', int('--eval-step'), 5)
  .option('--out <file>', 'write the best trial as a session, with the sweep')
  .option('--json', 'print one JSON object on stdout')
  .addOption(backendOption())
  .action(async (opts) => runSweepCommand(opts));

program
  .command('export')
  .description(
    'write the model for use elsewhere: a TensorFlow.js Layers model + adaptation card, safetensors weights + card, or a PyTorch folder (adapt.py, train.py for torchrun)',
  )
  .requiredOption('--session <file>', 'session file (.json or .json.gz)')
  .addOption(
    new Option('--format <format>', 'what to write').choices(EXPORT_FORMATS).makeOptionMandatory(),
  )
  .requiredOption('--out <dir>', 'folder to write (created if missing)')
  .action(async (opts) => runExport(opts));

program
  .command('adapt')
  .description("adapt a session's model to a new task's support CSV and predict a CSV of queries")
  .requiredOption('--session <file>', 'session file (.json or .json.gz)')
  .requiredOption(
    '--support <file>',
    "CSV of the new task's labelled examples (features and target)",
  )
  .requiredOption('--predict <file>', 'CSV of the examples to predict (the feature columns)')
  .option(
    '--steps <s>',
    "adaptation steps (default: the session's evaluation inner steps)",
    int('--steps'),
  )
  .option('--inner-lr <a>', "inner learning rate (default: the session's)", positive('--inner-lr'))
  .option('--out <file>', 'write the predictions CSV here instead of printing it')
  .addOption(backendOption())
  .action(async (opts) => runAdapt(opts));

program
  .command('monitor')
  .description(
    "adapt to each new task and compare its loss with the session's meta-test distribution, flagging tasks beyond its 95th percentile",
  )
  .requiredOption('--session <file>', 'session file (.json or .json.gz)')
  .requiredOption('--tasks <file>', 'CSV of new tasks: a task column, the features and the target')
  .option('--task-column <name>', "column naming each row's task (default: the session's, or task)")
  .option(
    '--episodes <n>',
    'meta-test tasks drawn for the reference distribution',
    int('--episodes'),
    200,
  )
  .option(
    '--steps <s>',
    "adaptation steps (default: the session's evaluation inner steps)",
    int('--steps'),
  )
  .option('--data <file>', 'CSV to use instead of the one the session names')
  .option('--json', 'print one JSON object on stdout')
  .addOption(backendOption())
  .action(async (opts) => runMonitor(opts));

export type AlgorithmFlag = AlgorithmName;

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // commander already printed its one-line message
    process.exit(e.exitCode === 0 ? 0 : 1);
  }
  reportAndExit(e);
}
