package dev.backgroundtasks.support;

import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * Who is acting in the current thread, recorded as who submitted or cancelled an execution: with Spring
 * Security, the name of the authenticated (not anonymous) principal of the thread's security context,
 * which REST calls and application code running for a user both have; otherwise nobody.
 */
@FunctionalInterface
public interface CurrentPrincipal {

	/** Nobody is ever named. */
	CurrentPrincipal NONE = () -> null;

	/**
	 * @return the name of the principal acting in the current thread, or {@code null}
	 */
	@Nullable String name();

	/**
	 * @param classLoader the class loader to look for Spring Security in
	 * @return the principal of Spring Security's context when Spring Security is present, else
	 * {@link #NONE}
	 */
	static CurrentPrincipal detect(@Nullable ClassLoader classLoader) {
		return ClassUtils.isPresent("org.springframework.security.core.context.SecurityContextHolder", classLoader)
				? new SecurityContextPrincipal() : NONE;
	}

}
