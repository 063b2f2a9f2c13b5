package dev.backgroundtasks.sample.users;

import org.springframework.data.jpa.repository.JpaRepository;

/**
 * Spring Data repository of the application's users.
 */
public interface AppUserRepository extends JpaRepository<AppUser, Long> {

}
