package dev.backgroundtasks.web;

import org.jspecify.annotations.Nullable;

/**
 * Who is calling the starter's endpoints, for the current request: whether the caller may operate
 * (execute, cancel, retry, enable, disable) and the principal's name, recorded as who submitted or
 * cancelled. With Spring Security the answer comes from the request's authentication; without it every
 * caller is an anonymous operator.
 */
public interface ApiAccess {

	/** Every caller may operate; nobody is named. */
	ApiAccess EVERYONE = new ApiAccess() {

		@Override
		public boolean isOperator() {
			return true;
		}

		@Override
		public @Nullable String principalName() {
			return null;
		}

	};

	/**
	 * @return whether the caller of the current request holds an operate authority (operators see stack
	 * traces under the default policy)
	 */
	boolean isOperator();

	/**
	 * @return the name of the authenticated principal of the current request, or {@code null} when
	 * anonymous or unknown
	 */
	@Nullable String principalName();

}
