package dev.backgroundtasks.compatibility;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import dev.backgroundtasks.BackgroundTask;
import org.junit.jupiter.api.Test;

import org.springframework.asm.ClassReader;
import org.springframework.asm.ClassVisitor;
import org.springframework.asm.Handle;
import org.springframework.asm.MethodVisitor;
import org.springframework.asm.Opcodes;
import org.springframework.asm.Type;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every class, method and field of a library that the starter's classes use exists in the versions this
 * Spring Boot manages: the starter is compiled against the newest line, and a method only that line has
 * fails with {@code NoSuchMethodError} on the older one, possibly on a path no scenario takes. Classes of
 * optional dependencies absent here are not checked.
 */
class StarterLinkageTests {

	private final ClassLoader loader = getClass().getClassLoader();

	@Test
	void everyMethodAndFieldTheStarterCallsExists() throws Exception {
		List<String[]> references = new ArrayList<>();
		int classes = 0;
		try (Stream<byte[]> starterClasses = starterClasses()) {
			for (byte[] bytes : (Iterable<byte[]>) starterClasses::iterator) {
				new ClassReader(bytes).accept(new ReferenceCollector(references), ClassReader.SKIP_DEBUG);
				classes++;
			}
		}
		assertThat(classes).as("classes of the starter").isGreaterThan(100);
		Set<String> missing = new TreeSet<>();
		Set<String> presentPackages = new HashSet<>();
		Set<String> absentClasses = new TreeSet<>();
		int checked = 0;
		for (String[] reference : references) {
			if (!checkable(reference[1])) {
				continue;
			}
			Class<?> owner = load(reference[1]);
			if (owner == null) {
				absentClasses.add(reference[1]);
				continue;
			}
			presentPackages.add(packageRoot(reference[1]));
			checked++;
			boolean found = switch (reference[0]) {
				case "class" -> true;
				case "field" -> hasField(owner, reference[2]);
				default -> hasMethod(owner, reference[2], reference[3], new HashSet<>());
			};
			if (!found) {
				missing.add(owner.getName() + "." + reference[2] + reference[3]);
			}
		}
		assertThat(checked).as("references checked").isGreaterThan(300);
		// An absent class of a library that is here (not an optional dependency left out) is missing too
		absentClasses.stream().filter((name) -> presentPackages.contains(packageRoot(name)))
			.forEach((name) -> missing.add(name.replace('/', '.') + " (class)"));
		assertThat(missing).as("methods and fields the starter calls that this Spring Boot's versions lack").isEmpty();
	}

	private Stream<byte[]> starterClasses() throws IOException, URISyntaxException {
		Path location = Path.of(BackgroundTask.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		if (Files.isDirectory(location)) {
			return Files.walk(location).filter((path) -> path.toString().endsWith(".class")).map((path) -> {
				try {
					return Files.readAllBytes(path);
				}
				catch (IOException ex) {
					throw new IllegalStateException(ex);
				}
			});
		}
		ZipFile jar = new ZipFile(location.toFile());
		return jar.stream().filter((entry) -> entry.getName().endsWith(".class")).map((entry) -> read(jar, entry))
			.onClose(() -> {
				try {
					jar.close();
				}
				catch (IOException ex) {
					throw new IllegalStateException(ex);
				}
			});
	}

	private static byte[] read(ZipFile jar, ZipEntry entry) {
		try (InputStream in = jar.getInputStream(entry)) {
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static boolean checkable(String internalName) {
		return !internalName.startsWith("[") && !internalName.startsWith("dev/backgroundtasks/")
				&& !internalName.startsWith("java/");
	}

	/**
	 * @return the first four segments of a class's package, which tell the library (and the Spring Boot
	 * module) it belongs to
	 */
	private static String packageRoot(String internalName) {
		String[] segments = internalName.split("/");
		return String.join("/", Arrays.copyOf(segments, Math.min(4, segments.length - 1)));
	}

	private Class<?> load(String internalName) {
		try {
			return Class.forName(internalName.replace('/', '.'), false, this.loader);
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return null;
		}
	}

	private static boolean hasField(Class<?> type, String name) {
		for (Class<?> current = type; current != null; current = current.getSuperclass()) {
			if (Stream.of(current.getDeclaredFields()).anyMatch((field) -> field.getName().equals(name))) {
				return true;
			}
			for (Class<?> implemented : current.getInterfaces()) {
				if (hasField(implemented, name)) {
					return true;
				}
			}
		}
		return false;
	}

	private static boolean hasMethod(Class<?> type, String name, String descriptor, Set<Class<?>> visited) {
		if (type == null || !visited.add(type)) {
			return false;
		}
		if (name.equals("<init>")) {
			for (Constructor<?> constructor : type.getDeclaredConstructors()) {
				if (Type.getConstructorDescriptor(constructor).equals(descriptor)) {
					return true;
				}
			}
			return false;
		}
		for (Method method : type.getDeclaredMethods()) {
			if (method.getName().equals(name) && Type.getMethodDescriptor(method).equals(descriptor)) {
				return true;
			}
		}
		if (hasMethod(type.getSuperclass(), name, descriptor, visited)) {
			return true;
		}
		for (Class<?> implemented : type.getInterfaces()) {
			if (hasMethod(implemented, name, descriptor, visited)) {
				return true;
			}
		}
		return type.isInterface() && hasMethod(Object.class, name, descriptor, visited);
	}

	/** Collects {kind, owner, name, descriptor} of every class extended or used, method called and field read. */
	private static final class ReferenceCollector extends ClassVisitor {

		private final List<String[]> references;

		ReferenceCollector(List<String[]> references) {
			super(Opcodes.ASM9);
			this.references = references;
		}

		@Override
		public void visit(int version, int access, String name, String signature, String superName,
				String[] interfaces) {
			if (superName != null) {
				this.references.add(new String[] { "class", superName, "", "" });
			}
			for (String implemented : interfaces) {
				this.references.add(new String[] { "class", implemented, "", "" });
			}
		}

		@Override
		public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
				String[] exceptions) {
			return new MethodVisitor(Opcodes.ASM9) {

				@Override
				public void visitMethodInsn(int opcode, String owner, String method, String methodDescriptor,
						boolean isInterface) {
					ReferenceCollector.this.references.add(new String[] { "method", owner, method, methodDescriptor });
				}

				@Override
				public void visitTypeInsn(int opcode, String type) {
					ReferenceCollector.this.references.add(new String[] { "class", type, "", "" });
				}

				@Override
				public void visitInvokeDynamicInsn(String method, String methodDescriptor, Handle bootstrap,
						Object... arguments) {
					for (Object argument : arguments) {
						if (argument instanceof Handle handle) {
							ReferenceCollector.this.references.add(new String[] {
									(handle.getTag() <= Opcodes.H_PUTSTATIC) ? "field" : "method", handle.getOwner(),
									handle.getName(), handle.getDesc() });
						}
					}
				}

				@Override
				public void visitFieldInsn(int opcode, String owner, String field, String fieldDescriptor) {
					ReferenceCollector.this.references.add(new String[] { "field", owner, field, fieldDescriptor });
				}

			};
		}

	}

}
