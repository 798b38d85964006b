import { forbidden } from '../../../domain/scope';
import type { PropertyControlContext } from '../context';
import type { PropertyRecord } from '../sources/records';

/**
 * Court scope in property-control: a property is visible to the courts that hold a measure on it (and the courts
 * above them); every measure on a visible property is shown, since the queue is what a court must see. Measures of a
 * case's lineage follow the case, whose visibility the registry decides.
 */
export async function propertyOrThrow(ctx: PropertyControlContext, p: PropertyRecord | null): Promise<PropertyRecord | null> {
  if (p === null || (await ctx.loaders.propertyInScope.load(p.id))) return p;
  throw forbidden('the property', ctx.viewer);
}

export async function propertiesInScope(ctx: PropertyControlContext, list: readonly PropertyRecord[]): Promise<PropertyRecord[]> {
  if (ctx.scope.all) return [...list];
  const visible = await Promise.all(list.map((p) => ctx.loaders.propertyInScope.load(p.id)));
  return list.filter((_, i) => visible[i]);
}
