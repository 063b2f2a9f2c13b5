/**
 * The dashboard: server-rendered pages on the application's own Spring MVC, with static assets from
 * the jar and no inline script, so that it works under a strict Content-Security-Policy.
 */
@NullMarked
package dev.backgroundtasks.web.dashboard;

import org.jspecify.annotations.NullMarked;
