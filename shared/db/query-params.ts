/**
 * The parameters and conditions of a query built from optional filters: each value becomes the next numbered
 * placeholder, so the SQL text stays parameterised however many filters apply.
 */
export class QueryParams {
  readonly values: unknown[];
  readonly where: string[] = [];

  constructor(...initial: unknown[]) {
    this.values = [...initial];
  }

  /** The placeholder (`$n`) of `value`, added as the next parameter. */
  param(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }

  and(condition: string): this {
    this.where.push(condition);
    return this;
  }
}
