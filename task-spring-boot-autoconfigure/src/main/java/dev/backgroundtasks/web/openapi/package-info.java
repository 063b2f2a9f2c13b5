/**
 * The REST API and one operation per task in the application's OpenAPI document, when springdoc-openapi
 * is on the classpath.
 */
@NullMarked
package dev.backgroundtasks.web.openapi;

import org.jspecify.annotations.NullMarked;
