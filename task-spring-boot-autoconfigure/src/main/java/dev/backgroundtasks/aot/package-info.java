/**
 * What a GraalVM native image of an application needs from the starter: the resources and reflection it
 * always uses, and, per application, reflection on the {@code @BackgroundTask} methods its beans declare
 * and binding on their parameter and result types.
 */
@NullMarked
package dev.backgroundtasks.aot;

import org.jspecify.annotations.NullMarked;
