package dev.backgroundtasks.web;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.util.Assert;

/**
 * {@link ApiAccess} from Spring Security: the {@link Authentication} of the current request, as the
 * application's security filter chain left it in the security context. Authorities compare exactly, as
 * strings ({@code ROLE_ADMIN} is a valid value); an operate authority also grants read.
 */
public final class SpringSecurityApiAccess implements ApiAccess {

	private static final AuthenticationTrustResolver trustResolver = new AuthenticationTrustResolverImpl();

	private final SecurityContextHolderStrategy contexts;

	private final List<String> readAuthorities;

	private final List<String> operateAuthorities;

	/**
	 * @param contexts where the current request's security context is held
	 * @param readAuthorities authorities that may read
	 * @param operateAuthorities authorities that may operate, and read
	 */
	public SpringSecurityApiAccess(SecurityContextHolderStrategy contexts, Collection<String> readAuthorities,
			Collection<String> operateAuthorities) {
		Assert.notEmpty(operateAuthorities,
				"At least one operate authority is required (background-tasks.security.operate-authorities)");
		this.contexts = contexts;
		this.operateAuthorities = List.copyOf(new LinkedHashSet<>(operateAuthorities));
		Set<String> read = new LinkedHashSet<>(readAuthorities);
		read.addAll(operateAuthorities);
		this.readAuthorities = List.copyOf(read);
	}

	/**
	 * An access where the starter checks no authority, for when the application's own rules alone decide
	 * who reaches the endpoints: everyone who does is an operator, and the principal's name still comes
	 * from Spring Security.
	 * @param contexts where the current request's security context is held
	 * @return the access
	 */
	public static ApiAccess withoutAuthorityChecks(SecurityContextHolderStrategy contexts) {
		return new ApiAccess() {

			@Override
			public boolean isOperator() {
				return true;
			}

			@Override
			public @Nullable String principalName() {
				return SpringSecurityApiAccess.principalName(contexts.getContext().getAuthentication());
			}

		};
	}

	@Override
	public boolean isOperator() {
		return level() == Level.OPERATE;
	}

	@Override
	public @Nullable String principalName() {
		return principalName(this.contexts.getContext().getAuthentication());
	}

	/**
	 * @return what the caller of the current request may do, {@code null} when not authenticated
	 * (no authentication, or an anonymous one)
	 */
	@Nullable Level level() {
		Authentication authentication = this.contexts.getContext().getAuthentication();
		if (!trustResolver.isAuthenticated(authentication)) {
			return null;
		}
		List<String> held = authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority).toList();
		if (held.stream().anyMatch(this.operateAuthorities::contains)) {
			return Level.OPERATE;
		}
		return held.stream().anyMatch(this.readAuthorities::contains) ? Level.READ : Level.NONE;
	}

	/**
	 * @return the authorities that may read, operate authorities included
	 */
	List<String> readAuthorities() {
		return this.readAuthorities;
	}

	/**
	 * @return the authorities that may operate
	 */
	List<String> operateAuthorities() {
		return this.operateAuthorities;
	}

	private static @Nullable String principalName(@Nullable Authentication authentication) {
		return trustResolver.isAuthenticated(authentication) ? authentication.getName() : null;
	}

	/**
	 * What an authenticated caller may do.
	 */
	enum Level {

		/** Neither read nor operate. */
		NONE,

		/** Read only. */
		READ,

		/** Operate and read. */
		OPERATE

	}

}
