package dev.backgroundtasks.support;

import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The principal of Spring Security's context in the current thread; only loaded when Spring Security is
 * on the class path (see {@link CurrentPrincipal#detect}).
 */
final class SecurityContextPrincipal implements CurrentPrincipal {

	@Override
	public @Nullable String name() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication == null || !authentication.isAuthenticated()
				|| authentication instanceof AnonymousAuthenticationToken) {
			return null;
		}
		return authentication.getName();
	}

}
