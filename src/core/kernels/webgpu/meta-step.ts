/**
 * The fused MLP meta-step on a GPUDevice: owns the buffers and the two
 * pipelines of wgsl.ts and encodes one meta-step as one compute pass with
 * two dispatches (the per-task kernel, then reduce + meta-optimizer),
 * whatever the number of inner steps. θ and the optimizer's slots live in
 * GPU buffers here; the caller reads them back when it needs them.
 *
 * Ordering: everything goes through the device's one queue (writeBuffer for
 * the episodes and uniforms, then the submitted pass), so steps may be
 * queued without waiting and a readback sees every step before it.
 *
 * Ownership: the engine owns its buffers and destroys them in dispose();
 * `loss` is overwritten by every step (copy it before the next).
 */
import type { EpisodeBatch } from '../../data/types';
import type { MetaOptimizerName } from '../../spec/config';
import {
  BUFFER,
  readBuffer,
  type GpuBindGroup,
  type GpuBuffer,
  type GpuComputePipeline,
  type GpuDevice,
} from './gpu';
import { bufferBytes, layoutOf, packData, type Layout } from './layout';
import {
  GRADIENT_ONLY,
  OPTIMIZER_KIND,
  REDUCE_WORKGROUP,
  UNIFORM_FLOATS,
  reduceKernel,
  taskKernel,
  type KernelKey,
} from './wgsl';

export interface OptimizerSettings {
  kind: MetaOptimizerName;
  /** this step's learning rate (after any schedule) */
  lr: number;
  /** the step number t ≥ 1 of this update (Adam's bias corrections) */
  t: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
}

/** Dispatches per meta-step: one per kernel. */
export const DISPATCHES_PER_STEP = 2;

/** Why this shape cannot run fused on this device (buffers over its limits), or null. */
export function fusedLimitReason(
  device: Pick<GpuDevice, 'limits'>,
  key: KernelKey,
  tasks: number,
): string | null {
  const l = layoutOf(key);
  const bytes = bufferBytes(l, key.steps, tasks);
  const limit = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  const worst = Math.max(bytes.params, bytes.data, bytes.scratch);
  return worst > limit
    ? `the fused step needs a ${(worst / 2 ** 20).toFixed(0)} MB buffer, over this GPU's ${(limit / 2 ** 20).toFixed(0)} MB limit`
    : null;
}

export class FusedMetaStep {
  readonly layout: Layout;
  private readonly taskPipeline: GpuComputePipeline;
  private readonly reducePipeline: GpuComputePipeline;
  private capacity = 0;
  private params!: GpuBuffer;
  private data!: GpuBuffer;
  private scratch!: GpuBuffer;
  private taskGroup!: GpuBindGroup;
  private reduceGroup!: GpuBindGroup;
  private packed = new Float32Array(0);
  private readonly opt: GpuBuffer;
  private readonly grad: GpuBuffer;
  readonly loss: GpuBuffer;
  private readonly uniforms: GpuBuffer;
  /** compute dispatches encoded so far (the kernel count of the benchmark) */
  dispatches = 0;

  constructor(
    private readonly device: GpuDevice,
    readonly key: KernelKey,
    tasks: number,
    /** the inner learning rate α */
    private readonly alpha: number,
  ) {
    this.layout = layoutOf(key);
    const pipeline = (code: string, label: string) =>
      device.createComputePipeline({
        layout: 'auto',
        label,
        compute: { module: device.createShaderModule({ code, label }), entryPoint: 'main' },
      });
    this.taskPipeline = pipeline(taskKernel(this.layout, key), 'fused-maml-task');
    this.reducePipeline = pipeline(reduceKernel(this.layout), 'fused-maml-reduce');
    const P = this.layout.P;
    const rw = BUFFER.STORAGE | BUFFER.COPY_SRC | BUFFER.COPY_DST;
    this.opt = device.createBuffer({ size: 8 * P, usage: rw, label: 'fused-opt' });
    this.grad = device.createBuffer({ size: 4 * P, usage: rw, label: 'fused-grad' });
    this.loss = device.createBuffer({ size: 16, usage: rw, label: 'fused-loss' });
    this.uniforms = device.createBuffer({
      size: 4 * UNIFORM_FLOATS,
      usage: BUFFER.UNIFORM | BUFFER.COPY_DST,
      label: 'fused-uniforms',
    });
    this.allocate(tasks, null);
  }

  /** (Re)allocates the per-task buffers for `tasks` tasks, keeping θ. */
  private allocate(tasks: number, theta: GpuBuffer | null): void {
    const bytes = bufferBytes(this.layout, this.key.steps, tasks);
    const rw = BUFFER.STORAGE | BUFFER.COPY_SRC | BUFFER.COPY_DST;
    const params = this.device.createBuffer({
      size: bytes.params,
      usage: rw,
      label: 'fused-params',
    });
    if (theta) {
      const enc = this.device.createCommandEncoder();
      enc.copyBufferToBuffer(theta, 0, params, 0, 4 * this.layout.P);
      this.device.queue.submit([enc.finish()]);
      theta.destroy();
    }
    this.params = params;
    this.data?.destroy();
    this.scratch?.destroy();
    this.data = this.device.createBuffer({ size: bytes.data, usage: rw, label: 'fused-data' });
    this.scratch = this.device.createBuffer({
      size: bytes.scratch,
      usage: BUFFER.STORAGE,
      label: 'fused-scratch',
    });
    this.packed = new Float32Array(this.layout.dataSize * tasks);
    const entry = (binding: number, buffer: GpuBuffer) => ({ binding, resource: { buffer } });
    this.taskGroup = this.device.createBindGroup({
      layout: this.taskPipeline.getBindGroupLayout(0),
      entries: [
        entry(0, this.params),
        entry(1, this.data),
        entry(2, this.scratch),
        entry(3, this.uniforms),
      ],
    });
    this.reduceGroup = this.device.createBindGroup({
      layout: this.reducePipeline.getBindGroupLayout(0),
      entries: [
        entry(0, this.params),
        entry(1, this.scratch),
        entry(2, this.opt),
        entry(3, this.grad),
        entry(4, this.loss),
        entry(5, this.uniforms),
      ],
    });
    this.capacity = tasks;
  }

  /** Sets θ (params order, flat). */
  writeTheta(theta: Float32Array): void {
    this.device.queue.writeBuffer(this.params, 0, theta);
  }

  /** Sets the optimizer's slots: [first slot (P), second slot (P)] as wanted by the rule. */
  writeSlots(slots: Float32Array): void {
    this.device.queue.writeBuffer(this.opt, 0, slots);
  }

  readTheta(): Promise<Float32Array> {
    return readBuffer(this.device, this.params, 0, 4 * this.layout.P);
  }

  /** The last step's meta-gradient (before weight decay), params order. */
  readGrad(): Promise<Float32Array> {
    return readBuffer(this.device, this.grad, 0, 4 * this.layout.P);
  }

  /** Both slots, 2P floats (the second is unused by Adagrad and momentum). */
  readSlots(): Promise<Float32Array> {
    return readBuffer(this.device, this.opt, 0, 8 * this.layout.P);
  }

  /** Encodes and submits one meta-step on `batch`; `opt` null computes the gradient only. */
  step(batch: EpisodeBatch, opt: OptimizerSettings | null): void {
    const B = batch.tasks;
    if (batch.support !== this.key.nS || batch.query !== this.key.nQ)
      throw new Error(
        `the fused step was built for ${this.key.nS} support and ${this.key.nQ} query rows, got ${batch.support} and ${batch.query}`,
      );
    if (B > this.capacity) this.allocate(B, this.params);
    const packed = this.packed.subarray(0, this.layout.dataSize * B);
    packData(this.layout, batch, packed);
    this.device.queue.writeBuffer(this.data, 0, packed);
    this.device.queue.writeBuffer(this.uniforms, 0, this.uniformBytes(B, opt));
    const enc = this.device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(this.taskPipeline);
    pass.setBindGroup(0, this.taskGroup);
    pass.dispatchWorkgroups(B);
    pass.setPipeline(this.reducePipeline);
    pass.setBindGroup(0, this.reduceGroup);
    pass.dispatchWorkgroups(Math.ceil(this.layout.P / REDUCE_WORKGROUP));
    pass.end();
    this.dispatches += DISPATCHES_PER_STEP;
    this.device.queue.submit([enc.finish()]);
  }

  private uniformBytes(B: number, opt: OptimizerSettings | null): ArrayBuffer {
    const buf = new ArrayBuffer(4 * UNIFORM_FLOATS);
    const ints = new Uint32Array(buf);
    const floats = new Float32Array(buf);
    ints[0] = B;
    floats[2] = this.alpha;
    if (!opt) {
      ints[1] = GRADIENT_ONLY;
      return buf;
    }
    ints[1] = OPTIMIZER_KIND[opt.kind];
    if (opt.kind === 'adam') {
      const c1 = 1 - opt.beta1 ** opt.t;
      const c2 = Math.sqrt(1 - opt.beta2 ** opt.t);
      floats[3] = (-opt.lr * c2) / c1;
      floats[6] = opt.epsilon * c2;
    } else {
      floats[3] = -opt.lr;
      floats[6] = opt.epsilon;
    }
    floats[4] = opt.beta1;
    floats[5] = opt.beta2;
    floats[7] = opt.weightDecay;
    return buf;
  }

  dispose(): void {
    for (const b of [
      this.params,
      this.data,
      this.scratch,
      this.opt,
      this.grad,
      this.loss,
      this.uniforms,
    ])
      b.destroy();
  }
}
