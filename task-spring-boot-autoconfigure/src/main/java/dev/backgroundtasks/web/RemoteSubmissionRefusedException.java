package dev.backgroundtasks.web;

/**
 * A task that may not be submitted over the REST API ({@code @BackgroundTask(remote = false)} or
 * {@code background-tasks.tasks.<name>.remote=false}) was asked to run or to retry. Nothing is stored.
 */
class RemoteSubmissionRefusedException extends RuntimeException {

	private final String task;

	RemoteSubmissionRefusedException(String task, String what) {
		super("Task '" + task + "' cannot be " + what + " over the REST API: it is declared with remote = false"
				+ " (or background-tasks.tasks." + task + ".remote=false); submit it from code instead");
		this.task = task;
	}

	String getTask() {
		return this.task;
	}

}
