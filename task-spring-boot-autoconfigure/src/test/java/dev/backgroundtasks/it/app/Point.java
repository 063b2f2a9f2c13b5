package dev.backgroundtasks.it.app;

public record Point(int x, int y) {

}
