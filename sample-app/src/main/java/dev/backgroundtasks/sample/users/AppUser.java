package dev.backgroundtasks.sample.users;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A user of the sample application, stored in its own table {@code app_user}.
 */
@Entity
@Table(name = "app_user")
public class AppUser {

	@Id
	private Long id;

	@Column(nullable = false, unique = true)
	private String email;

	@Column(name = "display_name", nullable = false)
	private String displayName;

	protected AppUser() {
		// for JPA
		this.id = 0L;
		this.email = "";
		this.displayName = "";
	}

	public AppUser(Long id, String email, String displayName) {
		this.id = id;
		this.email = email;
		this.displayName = displayName;
	}

	public Long getId() {
		return this.id;
	}

	public String getEmail() {
		return this.email;
	}

	public String getDisplayName() {
		return this.displayName;
	}

}
