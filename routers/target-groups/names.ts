import { APP_MESH_NAME, BARE_VERSION, type NameRule, templateProblem } from '#core/aws-names.ts';

/**
 * Why a VPC Lattice or ALB profile's targets.canary cannot name its target groups, or undefined: their
 * names (`rule`) are narrower than App Mesh's, which the profile holds every template to (and has
 * said what is wrong with a template that breaks that).
 */
export function targetGroupTemplateProblem(template: string, rule: NameRule): string | undefined {
  if (template !== BARE_VERSION && templateProblem(template, APP_MESH_NAME, 'target')) return undefined;
  return templateProblem(template, rule, 'target group');
}
