package dev.backgroundtasks.it.app;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The application's own entity, created by the application's own Flyway migration.
 */
@Entity
@Table(name = "app_note")
public class Note {

	@Id
	private Long id;

	private String text;

	protected Note() {
	}

	public Note(Long id, String text) {
		this.id = id;
		this.text = text;
	}

	public Long getId() {
		return this.id;
	}

	public String getText() {
		return this.text;
	}

}
