package dev.backgroundtasks.it.app;

public enum Color {

	RED, GREEN, BLUE

}
