import { z } from 'zod';

/**
 * What a network is: which game it serves (as plain data, policy never imports games), the
 * observation shape [C,H,W] the game's encoder produces, the policy size, and the architecture.
 */
export const netArchSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('resnet'),
    /** Residual blocks (two 3x3 convs each) after the 3x3 stem. */
    blocks: z.number().int().min(0).max(64),
    channels: z.number().int().min(1).max(1024),
    /** 1x1 conv filters of the policy head (AlphaZero: 2). */
    policyChannels: z.number().int().min(1).max(64).default(2),
    /** 1x1 conv filters of the value head (AlphaZero: 1) and its hidden dense width. */
    valueChannels: z.number().int().min(1).max(64).default(1),
    valueHidden: z.number().int().min(1).max(4096).default(64),
  }),
  z.object({
    kind: z.literal('mlp'),
    hidden: z.array(z.number().int().min(1).max(8192)).min(1).max(16),
  }),
]);

export type NetArch = z.output<typeof netArchSchema>;
/** Architecture as a user writes it (head sizes optional). */
export type NetArchInput = z.input<typeof netArchSchema>;

export const netSpecSchema = z.object({
  /** The game's short name, checked on load ('connect_four'). */
  game: z.string().min(1),
  /** [channels, height, width], as the game's observation encoder lays it out. */
  observationShape: z.tuple([z.number().int().min(1), z.number().int().min(1), z.number().int().min(1)]),
  /** The policy head's size: the game's number of distinct actions. */
  numActions: z.number().int().min(1),
  arch: netArchSchema,
});

export type NetSpec = z.output<typeof netSpecSchema>;
export type NetSpecInput = z.input<typeof netSpecSchema>;

export function observationSize(spec: Pick<NetSpec, 'observationShape'>): number {
  const [c, h, w] = spec.observationShape;
  return c * h * w;
}

export function describeArch(arch: NetArch): string {
  return arch.kind === 'resnet' ? `res${arch.blocks}x${arch.channels}` : `mlp${arch.hidden.join('-')}`;
}
