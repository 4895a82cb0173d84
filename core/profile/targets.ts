import * as z from 'zod/mini';
import { APP_MESH_NAME, awsName, ECS_NAME, nameTemplate } from '../aws-names.ts';
import { strictObject } from '../validation.ts';

/**
 * The new version's target is named by template. App Mesh's name rule is the widest of the routers';
 * a router whose targets are narrower holds the template to its own rule too (its kind's
 * targetTemplateProblem, asked by profileSchemaFor).
 */
export const targetsSchema = strictObject('targets', {
  canary: nameTemplate(APP_MESH_NAME, 'target', true),
  ecsService: z
    .optional(
      strictObject('an ECS service', {
        cluster: awsName(ECS_NAME, 'the ECS cluster the new version runs in, such as "shop"', 'the cluster'),
        service: nameTemplate(ECS_NAME, 'ECS service'),
      }),
    )
    .register(z.globalRegistry, {
      description:
        "The new version's ECS service: before any traffic moves, it must be steady (one deployment, every desired task running).",
    }),
});
