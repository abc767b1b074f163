/**
 * The names a new plugin package is generated with.
 *
 * @module
 */

/** What a new plugin's templates are filled in with. */
export interface PluginNames {
  /** The plugin's kebab-case name: its manifest name, registry prefix and folder. */
  name: string;
  /** Its JSR package name, `@scope/name`. */
  packageName: string;
  /** The year for the copyright line. */
  year: number;
}
